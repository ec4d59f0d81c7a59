import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';

export interface LoadResult {
  at: number;
  /** How long the answer took (ms), to its last byte. */
  ms: number;
  what: string;
  /** The HTTP status, or the network error's message. */
  outcome: number | string;
  ok: boolean;
}

export interface SteadyLoad {
  results: LoadResult[];
  /** Stops the workers and resolves when the last request has come back. */
  stop(): Promise<LoadResult[]>;
  /** Resolves when the workers have stopped by themselves (maxRequests or maxMs reached). */
  finished(): Promise<LoadResult[]>;
}

export interface SteadyLoadOptions {
  /** Basic authorizations, one worker each. */
  authorizations: string[];
  /** Hard bounds: the load stops by itself after this many requests or milliseconds. */
  maxRequests: number;
  maxMs: number;
}

/**
 * Mixed traffic from a few sequential workers, as an application would send it: lists, creates with
 * an Idempotency-Key, and renames of a group the worker created. Every answer is recorded; an
 * answer other than the expected 2xx, or a network error, is a failure.
 */
export function startSteadyLoad(
  baseUrl: string,
  { authorizations, maxRequests, maxMs }: SteadyLoadOptions,
): SteadyLoad {
  const results: LoadResult[] = [];
  const deadline = performance.now() + maxMs;
  let stopped = false;
  const running = () => !stopped && results.length < maxRequests && performance.now() < deadline;

  const record = async (
    what: string,
    expected: number,
    send: () => Promise<Response>,
  ): Promise<Response | undefined> => {
    const at = performance.now();
    try {
      const response = await send();
      const body = await response.text();
      results.push({
        at,
        ms: performance.now() - at,
        what,
        outcome: response.status,
        ok: response.status === expected,
      });
      if (response.status === expected) return new Response(body, { status: response.status });
    } catch (error) {
      results.push({
        at,
        ms: performance.now() - at,
        what,
        outcome: (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message,
        ok: false,
      });
    }
    return undefined;
  };

  const worker = async (authorization: string) => {
    let groupId: number | undefined;
    for (let n = 0; running(); n++) {
      const json = { authorization, 'content-type': 'application/json' };
      if (n % 3 === 0) {
        await record('GET /v1/groups', 200, () => fetch(`${baseUrl}/v1/groups`, { headers: { authorization } }));
      } else if (n % 3 === 1 || groupId === undefined) {
        const created = await record('POST /v1/groups', 201, () =>
          fetch(`${baseUrl}/v1/groups`, {
            method: 'POST',
            headers: { ...json, 'idempotency-key': randomUUID() },
            body: JSON.stringify({ name: `Load ${n}` }),
          }),
        );
        if (created) groupId = ((await created.json()) as { id: number }).id;
      } else {
        await record('PATCH /v1/groups/:id', 200, () =>
          fetch(`${baseUrl}/v1/groups/${groupId}`, {
            method: 'PATCH',
            headers: json,
            body: JSON.stringify({ name: `Renamed ${n}` }),
          }),
        );
      }
    }
  };
  const workers = Promise.all(authorizations.map(worker));
  return {
    results,
    async stop() {
      stopped = true;
      await workers;
      return results;
    },
    async finished() {
      await workers;
      return results;
    },
  };
}
