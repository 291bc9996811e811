/**
 * Polls `check` until it returns a truthy value, and returns that value. A throw from
 * `check` counts as "not yet", but the last one is kept for the timeout message.
 * Generous default deadline, since the machine running the specs is noisy; it only
 * bounds a broken run.
 */
export async function eventually<T>(
  check: () => T | Promise<T>,
  options: { what?: string; timeoutMs?: number; everyMs?: number } = {},
): Promise<T> {
  const { what, timeoutMs = 60_000, everyMs = 25 } = options;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what ?? 'a condition'}${last ? `: ${String(last)}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
