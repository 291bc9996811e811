import type { Logger } from '../core/logger';
import { messageOf } from '../core/errors';

/**
 * Whether the store is taken to be down: set by the first failed save, cleared by the
 * first replay that succeeds. Shared by the worker (which parks while it is set) and
 * the replayer; each change is logged once, not once per batch.
 */
export class Outage {
  active = false;
  /** Past close(): the store is closed on purpose, so failing saves are not news. */
  private quiet = false;

  constructor(private readonly logger: Logger, private readonly name: string) {}

  failed(err: unknown): void {
    if (this.active || this.quiet) return;
    this.active = true;
    this.logger.error('store unavailable; parking reports in the outbox until it answers', { delivery: this.name, error: messageOf(err) });
  }

  recovered(): void {
    if (!this.active) return;
    this.active = false;
    this.logger.info('store is back; replaying the outbox', { delivery: this.name });
  }

  silence(): void {
    this.quiet = true;
  }
}
