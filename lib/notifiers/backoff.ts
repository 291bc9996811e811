/**
 * Full-jitter exponential backoff: a random wait in [0, min(max, base * 2^attempt)].
 * The randomness spreads the retries of many processes that failed at the same moment.
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

/**
 * Resolves after `ms`, or at once when `signal` aborts (never rejects). The timer is
 * unref'd: a pending retry must not keep a process alive that is otherwise done.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    timer.unref();
    signal?.addEventListener('abort', done, { once: true });
  });
}
