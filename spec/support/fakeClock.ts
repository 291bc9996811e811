import type { Clock, ClockTimer } from '../../lib/core/clock';

interface Pending {
  at: number;
  seq: number;
  callback: () => void;
}

/**
 * A Clock that moves only when a spec says so. `advance(ms)` fires every timer that
 * falls due, in order, letting promise callbacks run between them, so code that
 * awaits between timers behaves as it would in real time, only instantly.
 */
export class FakeClock implements Clock {
  private current: number;
  private seq = 0;
  private readonly timers = new Map<number, Pending>();

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, ms: number): ClockTimer {
    const id = ++this.seq;
    this.timers.set(id, { at: this.current + Math.max(0, ms), seq: id, callback });
    return { id } as unknown as ClockTimer;
  }

  clearTimeout(timer: ClockTimer | undefined): void {
    if (timer) this.timers.delete((timer as unknown as { id: number }).id);
  }

  /** Timers still waiting. */
  get pending(): number {
    return this.timers.size;
  }

  /** Moves time forward by `ms`, firing due timers one by one (and what they schedule). */
  async advance(ms: number): Promise<void> {
    const until = this.current + ms;
    for (;;) {
      await settle();
      const next = [...this.timers.values()].filter((t) => t.at <= until).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!next) break;
      this.timers.delete(next.seq);
      this.current = Math.max(this.current, next.at);
      next.callback();
    }
    this.current = until;
    await settle();
  }

  /** Fires every timer, however far off, until none is left (bounded: a timer loop would spin forever). */
  async runAll(maxTimers = 10_000): Promise<void> {
    for (let i = 0; i < maxTimers && this.timers.size; i++) {
      const next = [...this.timers.values()].sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      await this.advance(Math.max(0, next.at - this.current));
    }
    await settle();
  }
}

/** Lets queued promise callbacks and I/O callbacks run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
