import type { Logger } from '../core/logger';
import type { Clock } from '../core/clock';
import type { Counters } from './stats';
import type { Announcer } from './Announcer';
import type { Outage } from './Outage';
import type { Outbox } from './Outbox';
import type { StoreWriter } from './StoreWriter';
import { backoffDelay, sleep, type BackoffOptions } from '../core/backoff';
import { messageOf } from '../core/errors';

export interface ReplayerOptions {
  name: string;
  outbox: Outbox;
  writer: StoreWriter;
  announcer: Announcer;
  outage: Outage;
  counters: Counters;
  retry: BackoffOptions;
  logger: Logger;
  clock: Clock;
}

/**
 * Replays the outbox into the store, oldest segment first, one segment per save; a
 * segment is deleted only once stored. A failed save is retried with jittered
 * exponential backoff; the first success ends the outage. Stores are idempotent by
 * report id, so a replay interrupted by a crash stores and counts nothing twice.
 */
export class Replayer {
  private running: Promise<void> | null = null;
  private stopped = false;
  /** Cuts a backoff pause short when close() stops the replay. */
  private readonly stopping = new AbortController();

  constructor(private readonly options: ReplayerOptions) {}

  start(): void {
    if (this.running || this.stopped) return;
    this.running = this.replay().then(() => {
      this.running = null;
      // Batches parked while the loop was finishing get a loop of their own.
      if (this.options.outbox.oldest()) this.start();
    }, (err: unknown) => {
      // Not restarted at once, which could spin; the next parked batch starts it again.
      this.running = null;
      this.options.logger.error('outbox replay stopped', { delivery: this.options.name, error: messageOf(err) });
    });
  }

  stop(): void {
    this.stopped = true;
    this.stopping.abort();
  }

  private async replay(): Promise<void> {
    const { outbox, writer, outage, counters, announcer, retry, clock } = this.options;
    if (!(await outbox.ready)) return;
    let failures = 0;
    while (!this.stopped) {
      const segment = outbox.oldest();
      if (!segment) {
        // Parked writes still in progress join the queue of segments when done.
        if (outbox.empty) return;
        await outbox.idle();
        continue;
      }
      const entries = await outbox.read(segment);
      if (entries.length === 0) {
        await outbox.remove(segment);
        continue;
      }
      let written;
      try {
        written = await writer.write(entries.map((entry) => entry.report));
      } catch (err) {
        outage.failed(err);
        if (!this.stopped) await sleep(backoffDelay(++failures, retry), this.stopping.signal, clock);
        continue;
      }
      failures = 0;
      outage.recovered();
      counters.stored += written.stored.length;
      counters.replayed += written.stored.length;
      await outbox.remove(segment);
      const announced = new Set(entries.filter((entry) => entry.notified).map((entry) => entry.report.id));
      const unannounced = written.stored.filter((report) => !announced.has(report.id));
      if (unannounced.length) await announcer.announceStored(written.outcomes, unannounced);
    }
  }
}
