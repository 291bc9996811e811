/**
 * Time as the library sees it. Everything about windows, rates, pacing and deadlines
 * asks a Clock instead of `Date.now()`/`setTimeout`, so specs drive it with a fake
 * clock and never depend on how fast the machine is. Timers are unref'd: the
 * library's own timers never keep a process alive.
 */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): ClockTimer;
  clearTimeout(timer: ClockTimer | undefined): void;
}

/** Opaque handle of a timer set through a Clock. */
export type ClockTimer = { readonly __clockTimer?: never } | NodeJS.Timeout;

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, ms) {
    const timer = setTimeout(callback, ms);
    timer.unref();
    return timer;
  },
  clearTimeout(timer) {
    if (timer !== undefined) clearTimeout(timer as NodeJS.Timeout);
  },
};

export function isClock(value: unknown): value is Clock {
  return !!value && typeof value === 'object' && ['now', 'setTimeout', 'clearTimeout'].every((m) => typeof (value as Record<string, unknown>)[m] === 'function');
}
