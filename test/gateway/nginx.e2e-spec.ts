import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { NginxGateway, startNginx } from '../support/nginx-gateway.js';
import { describeRestarts, RestartFigures, restartOneAfterAnother } from '../support/rolling-restart.js';
import { ReplicaPair, startReplicaPair } from '../support/replica-pair.js';
import { startSteadyLoad } from '../support/steady-load.js';
import { newLogin } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

// Two replicas behind nginx OSS with the README's recipe (ops/nginx): no active health checks, so
// nginx keeps sending to a draining replica and learns it is gone from a refused connection.
let pair: ReplicaPair;
let gateway: NginxGateway;

beforeAll(async () => {
  // nginx does not read readiness: it keeps sending through the drain, as it would in production.
  pair = await startReplicaPair(2000);
  gateway = await startNginx(pair.addresses);
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await pair?.stop();
});

describe('a rolling restart behind nginx OSS', () => {
  it('fails no request, read or write', async () => {
    const users = Array.from({ length: 4 }, (_, n) => newLogin(pair.sandbox, `nginx-${n}`));
    const load = startSteadyLoad(gateway.url, {
      authorizations: users.map((user) => user.authorization),
      maxRequests: 60_000,
      maxMs: 150_000,
    });
    let restarts: RestartFigures[];
    try {
      await waitFor(() => load.results.length >= 40, 30_000, 'traffic through the gateway');
      // nginx has no checks: it tries a replica it marked failed again after fail_timeout (2 s).
      // The restarted replica is back once it logs a request of the load (lines reach stdout within a second).
      restarts = await restartOneAfterAnother(pair.replicas, pair.envOf, load, (index) =>
        waitFor(
          () => /"msg":"(GET|POST|PATCH) \/v1\/groups/.test(pair.replicas[index].output()),
          30_000,
          `nginx to send traffic to replica ${index + 1} again`,
        ),
      );
    } finally {
      await load.stop();
    }
    const failures = load.results.filter((result) => !result.ok);
    const failed = failures.map((failure) => `${failure.what} ${failure.outcome}`).join(', ');
    console.log(
      `rolling restart behind nginx: ${describeRestarts(restarts)}; ${load.results.length} requests in all${failed && `; failed: ${failed}`}`,
    );

    // A refused connection is retried on the other replica; a write is never sent on a connection
    // the replica closes (the recipe's upstream keepalive_timeout is below the service's settle time).
    expect(failures).toEqual([]);
    for (const restart of restarts) expect(restart.requests).toBeGreaterThan(20);
  }, 120_000);
});

describe('a Redis outage behind nginx OSS', () => {
  it("passes on the service's own 503 to Bearer callers and serves Basic callers: no replica is marked down", async () => {
    const user = newLogin(pair.sandbox, 'nginx-outage');
    const login = await fetch(`${gateway.url}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: user.userId, token: user.token }),
    });
    expect(login.status).toBe(201);
    const bearer = `Bearer ${((await login.json()) as { sessionId: string }).sessionId}`;
    const list = (authorization: string) => fetch(`${gateway.url}/v1/groups`, { headers: { authorization } });

    const answers: { status: number; type: string | null }[] = [];
    pair.redis.freeze();
    try {
      for (let n = 0; n < 6; n++) {
        for (const authorization of [bearer, user.authorization]) {
          const response = await list(authorization);
          await response.arrayBuffer();
          answers.push({ status: response.status, type: response.headers.get('content-type') });
        }
      }
    } finally {
      pair.redis.thaw();
    }
    // Bearer: the service's problem+json 503, not nginx's own error page; Basic: served.
    expect(
      answers
        .filter((_, n) => n % 2 === 0)
        .every((answer) => answer.status === 503 && /^application\/problem\+json/.test(answer.type ?? '')),
    ).toBe(true);
    expect(answers.filter((_, n) => n % 2 === 1).map((answer) => answer.status)).toEqual(Array(6).fill(200));
  }, 60_000);
});
