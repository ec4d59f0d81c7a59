// One raw call to DeepCall: the HTTP status and the body as sent, parsed only as far as JSON, so
// the expectations can compare the answer itself (not what the service's client makes of it).

export interface RawAnswer {
  httpStatus: number;
  contentType: string;
  text: string;
  /** The body when it is a JSON object, else undefined. */
  json: Record<string, unknown> | undefined;
}

/** What one step got: an answer, or no HTTP answer at all (refused, reset, timed out). */
export type Exchange = { answer: RawAnswer } | { failure: string };

export interface UpstreamPost {
  (path: string, body: Record<string, unknown> | string): Promise<Exchange>;
}

/**
 * POSTs JSON (or, for the non-JSON case, a raw string) to `baseUrl + path`. Each call gets
 * `timeoutMs`; `interrupted` aborts it, and is re-thrown so the run stops at once.
 */
export function upstreamPost(baseUrl: string, timeoutMs: number, interrupted: AbortSignal): UpstreamPost {
  return async (path, body) => {
    interrupted.throwIfAborted();
    try {
      const response = await fetch(baseUrl + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
        signal: AbortSignal.any([interrupted, AbortSignal.timeout(timeoutMs)]),
      });
      const text = await response.text();
      return {
        answer: {
          httpStatus: response.status,
          contentType: response.headers.get('content-type') ?? '',
          text,
          json: parseObject(text),
        },
      };
    } catch (error) {
      interrupted.throwIfAborted();
      return { failure: describeFailure(error, timeoutMs) };
    }
  };
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof DOMException && error.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return `no HTTP answer (${cause instanceof Error ? cause.message : String(cause)})`;
}
