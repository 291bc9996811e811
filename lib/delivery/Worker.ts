import type { Report } from '../report/Report';
import type { Logger } from '../core/logger';
import type { Counters } from './stats';
import type { PendingWork } from './PendingWork';
import type { Announcer } from './Announcer';
import type { Outage } from './Outage';
import type { StoreWriter } from './StoreWriter';
import type { Outbox, OutboxEntry } from './Outbox';
import type { DropLog } from './dropLog';
import { built, ReportQueue, type QueuedReport } from './ReportQueue';
import { messageOf } from '../core/errors';

export interface WorkerOptions {
  name: string;
  maxQueue: number;
  batchSize: number;
  logger: Logger;
  counters: Counters;
  pending: PendingWork;
  announcer: Announcer;
  outage: Outage;
  drops: DropLog;
  /** Null without a store: batches are only counted in memory and announced. */
  writer: StoreWriter | null;
  outbox: Outbox | null;
  /** Prepares a report before it is saved (enrichment); never rejects. */
  prepare(report: Report): Promise<Report>;
  /** Called when the outbox got something to replay. */
  replay(): void;
}

/**
 * Takes queued reports off the request path in batches: saves each batch (with a
 * deadline) and has it announced; in an outage, or while the outbox holds anything,
 * parks the batch behind the outbox to keep order. Past `maxQueue`, reports are spilled
 * to the outbox; past its bound they are dropped, counted and logged.
 */
export class Worker {
  private readonly queue = new ReportQueue();
  private spilled: QueuedReport[] = [];
  private wakeScheduled = false;
  private spillScheduled = false;
  private draining: Promise<void> | null = null;
  /** Batches taken and not settled; `parked` once they are (being) written to the outbox, by close() or on a failure. */
  private readonly inFlight = new Map<Report[], { parked: boolean }>();
  /** Outbox writes in progress, which close() waits for. */
  private readonly parking = new Set<Promise<void>>();
  private accepting = true;
  /** Past close()'s deadline: no more saves in this process. */
  private stopped = false;

  constructor(private readonly options: WorkerOptions) {}

  get queued(): number {
    return this.queue.length;
  }

  /** Nothing queued, spilled or being worked on. */
  get idle(): boolean {
    const queued = !this.stopped && this.queue.length > 0;
    return !queued && !this.draining && this.spilled.length === 0 && !this.wakeScheduled && !this.spillScheduled;
  }

  /** The batch being worked on, if any. */
  get current(): Promise<void> | null {
    return this.draining;
  }

  /** O(1) and never builds: an unbuilt report is built when its batch is taken (or spilled). */
  enqueue(report: QueuedReport): void {
    if (!this.accepting || this.queue.length >= this.options.maxQueue) {
      this.spill(report);
      return;
    }
    this.queue.push(report);
    this.wake();
  }

  /** Later reports go straight to the outbox. */
  stopAccepting(): void {
    this.accepting = false;
  }

  /** Stops saving and parks everything not delivered (queued, spilled or in flight); resolves once it is written. */
  async stop(): Promise<void> {
    this.stopped = true;
    // Oldest first, so the outbox keeps acceptance order: a batch in flight was taken from
    // the queue before what is left in it, and reports spill only while the queue is full
    // or closed. Spilled reports waiting for their write go in this one, so close() can wait for it.
    const undelivered: QueuedReport[] = [];
    for (const [batch, state] of this.inFlight) {
      if (state.parked) continue;
      // The save may still succeed after this; the store's idempotency makes the copy harmless.
      state.parked = true;
      undelivered.push(...batch);
    }
    undelivered.push(...this.queue.takeAll(), ...this.spilled);
    this.spilled = [];
    if (undelivered.length) void this.park(this.build(undelivered), false);
    await Promise.all([...this.parking]);
  }

  /** Writes reports to the outbox; what does not fit is dropped and logged. Never rejects. */
  park(reports: Report[], notified: boolean): Promise<void> {
    const { outbox, counters, pending } = this.options;
    if (!outbox) {
      this.dropped(reports.length, 'no outbox');
      return Promise.resolve();
    }
    const entries: OutboxEntry[] = reports.map((report) => ({ report, notified }));
    const parked = outbox.append(entries).then(({ written, dropped }) => {
      counters.outboxed += written;
      this.dropped(dropped, 'outbox full');
    });
    this.parking.add(parked);
    void parked.finally(() => this.parking.delete(parked));
    return pending.track(parked);
  }

  private wake(): void {
    if (this.draining || this.wakeScheduled || this.stopped) return;
    this.wakeScheduled = true;
    setImmediate(() => {
      this.wakeScheduled = false;
      if (this.draining || this.stopped) return;
      this.draining = this.drain().finally(() => {
        this.draining = null;
        if (this.queue.length) this.wake();
      });
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length && !this.stopped) {
      const batch = this.build(this.queue.take(this.options.batchSize));
      await this.deliver(batch).catch((err: unknown) => {
        this.options.logger.error('could not deliver a batch', { delivery: this.options.name, reports: batch.length, error: messageOf(err) });
      });
    }
  }

  /** Stores one batch, or parks it; then announces it. */
  private async deliver(taken: Report[]): Promise<void> {
    const { writer, outbox, outage, announcer, counters } = this.options;
    if (taken.length === 0) return;
    if (!writer) {
      await announcer.announceInMemory(await this.prepare(taken));
      return;
    }
    // In flight from the start: close() parks the batch even while it is being prepared.
    const state = { parked: false };
    this.inFlight.set(taken, state);
    try {
      const batch = await this.prepare(taken);
      // Read before waiting: what the outbox takes meanwhile (a spill) is newer than this batch.
      const olderParked = !outbox?.empty;
      // Until the outbox has listed its folder it looks empty, though an earlier process
      // may have left segments there that must be saved before this batch.
      const leftBehind = outbox ? await outbox.holdsEarlierSegments() : false;
      if (state.parked) return;
      if (outage.active || olderParked || leftBehind) {
        state.parked = true;
        await this.parkBehindOutbox(batch);
        return;
      }
      try {
        const { outcomes, stored } = await writer.write(batch);
        counters.stored += stored.length;
        await announcer.announceStored(outcomes, stored);
      } catch (err) {
        if (!this.stopped) outage.failed(err);
        if (state.parked) return;
        state.parked = true;
        await this.parkBehindOutbox(batch);
      }
    } finally {
      this.inFlight.delete(taken);
    }
  }

  private prepare(reports: Report[]): Promise<Report[]> {
    return Promise.all(reports.map((report) => this.options.prepare(report)));
  }

  /**
   * Joins the outbox queue. In an outage the alerts go out now, throttled in memory,
   * rather than whenever the store returns; otherwise the replay announces them.
   */
  private async parkBehindOutbox(batch: Report[]): Promise<void> {
    const alertNow = this.options.outage.active;
    // The write starts first, so close() finds it among the writes in progress.
    const parked = this.park(batch, alertNow);
    if (alertNow) await this.options.announcer.announceInMemory(batch);
    await parked;
    this.options.replay();
  }

  private spill(report: QueuedReport): void {
    const { outbox, maxQueue } = this.options;
    // Without a store there is no outbox; the spill buffer itself is bounded like the queue.
    if (!outbox || this.spilled.length >= maxQueue) {
      this.dropped(1, outbox ? 'outbox writes are behind' : 'queue full');
      return;
    }
    this.spilled.push(report);
    if (this.spillScheduled) return;
    this.spillScheduled = true;
    setImmediate(() => void this.writeSpilled());
  }

  // One outbox write at a time: reports spilled during a write join the next one, so a
  // storm makes writes larger instead of more numerous, and memory stays within maxQueue.
  private async writeSpilled(): Promise<void> {
    while (this.spilled.length) {
      const reports = this.build(this.spilled);
      this.spilled = [];
      await this.park(reports, false);
    }
    this.spillScheduled = false;
    this.options.replay();
  }

  private build(items: QueuedReport[]): Report[] {
    const { reports, failed } = built(items);
    this.dropped(failed, 'the report could not be built');
    return reports;
  }

  private dropped(count: number, reason: string): void {
    if (count <= 0) return;
    this.options.counters.dropped += count;
    this.options.drops.dropped(count, reason);
  }
}
