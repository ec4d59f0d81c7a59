/**
 * Waits until `condition` holds, checking every few milliseconds, and fails after `timeoutMs`.
 * For effects that complete outside the request (a socket closing), not a fixed sleep.
 */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 2000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Awaits `request` and says how long it took (ms). */
export async function timed<T>(request: PromiseLike<T>): Promise<{ response: T; ms: number }> {
  const started = performance.now();
  const response = await request;
  return { response, ms: performance.now() - started };
}
