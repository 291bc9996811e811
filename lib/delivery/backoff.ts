export interface RetryOptions {
  baseMs: number;
  maxMs: number;
}

/**
 * Exponential backoff with full jitter: a random delay up to base·2^attempt, capped.
 * The jitter spreads the retries of many app instances that lost the same database
 * at the same moment, so they do not all knock at once when it returns.
 */
export function backoffDelay(attempt: number, { baseMs, maxMs }: RetryOptions): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(Math.random() * ceiling);
}
