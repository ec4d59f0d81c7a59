// One-off HTTP calls for set-up and checks (not for load): undici, loopback only, with deadlines.
import { request } from 'undici';

export async function call(url, { method = 'GET', headers = {}, json, timeoutMs = 10_000 } = {}) {
  assertLoopback(url);
  const response = await request(url, {
    method,
    headers: json === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: json === undefined ? undefined : JSON.stringify(json),
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  const text = await response.body.text();
  let body;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  return { status: response.statusCode, headers: response.headers, body };
}

export async function callOk(url, options, expected = [200, 201]) {
  const answer = await call(url, options);
  if (!expected.includes(answer.status))
    throw new Error(
      `${options?.method ?? 'GET'} ${url} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`,
    );
  return answer;
}

/**
 * Polls `url` until it answers `readyStatus` (200); resolves the elapsed ms since `since`. Bounded by
 * `timeoutMs`; fails at once if `alive()` turns false (the process died during start-up).
 */
export async function waitReady(
  url,
  {
    since = performance.now(),
    timeoutMs = 30_000,
    pollMs = 5,
    alive = () => true,
    why = () => '',
    readyStatus = 200,
  } = {},
) {
  while (performance.now() - since < timeoutMs) {
    if (!alive()) throw new Error(`${url}: process exited before it was ready\n${why()}`);
    try {
      const answer = await request(url, { headersTimeout: 1000, bodyTimeout: 1000, reset: true });
      await answer.body.dump();
      if (answer.statusCode === readyStatus) return performance.now() - since;
    } catch {
      /* not listening yet */
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  throw new Error(`${url}: not ready within ${timeoutMs} ms\n${why()}`);
}

export const basic = (userId, token) => `Basic ${Buffer.from(`${userId}:${token}`).toString('base64')}`;

export function assertLoopback(url) {
  const host = new URL(url).hostname;
  if (host !== '127.0.0.1') throw new Error(`bench traffic goes to 127.0.0.1 only, not ${host}`);
}
