import type { Clock, ClockTimer } from '../core/clock';

/** Rejects with `message` when `promise` has not settled within `ms` on `clock`; the late answer is ignored. */
export function withDeadline<T>(promise: Promise<T>, ms: number, clock: Clock, message: string): Promise<T> {
  let timer: ClockTimer | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = clock.setTimeout(() => reject(new Error(message)), ms);
  });
  // The losing side of the race must not become an unhandled rejection.
  promise.catch(() => undefined);
  return Promise.race([promise, deadline]).finally(() => clock.clearTimeout(timer));
}

/** Waits for `promise`, or gives up on it after `ms`; never rejects. */
export async function within(promise: Promise<unknown>, ms: number, clock: Clock): Promise<void> {
  // Out of time: only what has already settled counts (no timer, which a fake clock would never fire).
  if (ms <= 0) await Promise.race([promise, Promise.resolve()]).catch(() => undefined);
  else await withDeadline(promise, ms, clock, 'deadline').catch(() => undefined);
}
