import type { Logger } from '../core/logger';
import { realClock, type Clock, type ClockTimer } from '../core/clock';

const EVERY_MS = 10_000;

/**
 * Logs dropped reports without flooding the log during a storm: the first drop is
 * logged at once, later ones are summed and logged once per interval. Nothing is
 * dropped silently.
 */
export class DropLog {
  private unlogged = 0;
  private lastReason = '';
  private timer: ClockTimer | null = null;

  constructor(private readonly logger: Logger, private readonly name: string, private readonly clock: Clock = realClock) {}

  dropped(count: number, reason: string): void {
    if (count <= 0) return;
    this.unlogged += count;
    this.lastReason = reason;
    if (this.timer) return;
    this.write();
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      if (this.unlogged > 0) this.write();
    }, EVERY_MS);
  }

  private write(): void {
    this.logger.error('reports dropped', { delivery: this.name, dropped: this.unlogged, reason: this.lastReason });
    this.unlogged = 0;
  }
}
