/**
 * Takes reports off the request path and gets them stored and announced: one per client
 * (lib/client/client.ts), for both kinds, with one queue, one outbox folder, one worker and one
 * replayer.
 *
 * `offer(kind, group, build)` and `accept(report)` are synchronous, O(1), never throw and
 * do no I/O; `offer` does not even build the report: it is rate limited per group
 * (EventSampler: past `eventsPerMinute`, occurrences are folded into one report per
 * group per second, and a folded occurrence costs a counter) and queued unbuilt; the
 * worker builds it. The parts:
 *
 * - Worker: builds and batches the queue, saves each batch with a deadline, spills past
 *   `maxQueue` to the outbox and drops (counted, logged) past `outboxMaxBytes`.
 * - StoreWriter: the save itself, with the save policy (new-group budget, clock skew);
 *   a report the store refuses for good (PermanentStoreError) is isolated and
 *   dead-lettered, so it never blocks the others.
 * - Replayer: while the store is down, batches are parked in the outbox (NDJSON,
 *   fsync'd, 0600 files in a 0700 folder) behind older ones; the replayer saves them in
 *   order with backoff, also segments left by an earlier process.
 * - Announcer: alerts through AlertThrottle (one per group, then digests), every
 *   notifier call with a deadline.
 *
 * This file wires them, keeps the counters and runs flush() and close().
 */
import type { Report } from '../report/Report';
import type { Logger } from '../core/logger';
import type { Clock } from '../core/clock';
import type { Store } from '../contracts/store';
import { deliverySettings, type DeliveryOptions } from './deliveryOptions';
import { zeroCounters, type Counters, type DeliveryStats } from './stats';
import { Announcer } from './Announcer';
import { EventSampler } from './EventSampler';
import { Outbox } from './Outbox';
import { Outage } from './Outage';
import { PendingWork } from './PendingWork';
import { Replayer } from './Replayer';
import { StoreWriter } from './StoreWriter';
import { DeadLetter } from './DeadLetter';
import { Worker } from './Worker';
import { DropLog } from './dropLog';
import { enrichment } from './enrichment';
import { callWithin, within } from './deadline';
import { messageOf } from '../core/errors';

export type { DeliveryOptions } from './deliveryOptions';
export type { DeliveryStats } from './stats';

// How often folded occurrences are handed on, and how many groups the sampler tracks.
const TALLY_MS = 1000;
const SAMPLED_GROUPS = 10_000;

export class Delivery {
  readonly name: string;
  private readonly store: Store | null;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly counters: Counters = zeroCounters();
  private readonly pending = new PendingWork();
  private readonly sampler: EventSampler;
  private readonly announcer: Announcer;
  private readonly worker: Worker;
  private readonly replayer: Replayer | null;
  private readonly outage: Outage;
  private accepting = true;
  private closing: Promise<void> | null = null;

  constructor(options: DeliveryOptions = {}) {
    const settings = deliverySettings(options);
    const { name, store, logger, clock } = settings;
    this.name = name;
    this.store = store;
    this.logger = logger;
    this.clock = clock;
    const { counters, pending } = this;
    this.outage = new Outage(logger, name);
    const announcerOptions = { name, store, notifiers: settings.notifiers, windowMs: settings.windowMs, notifyTimeoutMs: settings.notifyTimeoutMs, logger, clock, counters, pending };
    this.announcer = new Announcer(announcerOptions);
    const outbox = store ? new Outbox(settings.outboxDir, settings.outboxMaxBytes, logger) : null;
    const writer = store ? new StoreWriter({
      name, store, saveTimeoutMs: settings.saveTimeoutMs, clock, logger, counters,
      maxNewGroupsPerHour: settings.maxNewGroupsPerHour, maxClockSkewMs: settings.maxClockSkewMs,
      deadLetter: new DeadLetter(settings.outboxDir, settings.outboxMaxBytes, logger, name),
    }) : null;
    this.replayer = outbox && writer
      ? new Replayer({ name, outbox, writer, announcer: this.announcer, outage: this.outage, counters, retry: settings.retry, logger, clock })
      : null;
    this.worker = new Worker({
      name, maxQueue: settings.maxQueue, batchSize: settings.batchSize, logger, counters, pending,
      announcer: this.announcer, outage: this.outage, drops: new DropLog(logger, name, clock), writer, outbox,
      prepare: enrichment(settings.enrich, settings.enrichTimeoutMs, clock, logger, name),
      replay: () => this.replayer?.start(),
    });
    this.sampler = new EventSampler({
      eventsPerMinute: settings.eventsPerMinute, tallyMs: TALLY_MS, maxGroups: SAMPLED_GROUPS, clock,
      emit: (tally) => this.worker.enqueue(tally),
    });
    // An earlier process may have left reports behind: replay them as soon as the directory is read.
    outbox?.ready.then((usable) => { if (usable && !outbox.empty) this.replayer?.start(); });
  }

  get stats(): DeliveryStats {
    return { ...this.counters, queued: this.worker.queued };
  }

  /** Never throws, never waits: see the header comment for where the report goes. */
  accept(report: Report): void {
    try {
      if (report === null || typeof report !== 'object') {
        this.logger.warn('delivery ignored something that is not a report', { delivery: this.name, type: typeof report });
        return;
      }
      this.counters.accepted++;
      if (this.accepting && !this.sampler.admit(report)) {
        this.counters.folded++;
        return;
      }
      this.worker.enqueue(report);
    } catch (err) {
      this.logger.error('delivery could not accept a report', { delivery: this.name, error: messageOf(err) });
    }
  }

  /**
   * `accept` for a report not built yet. `group` is the key its occurrences are counted
   * under for the rate limit (`quickFingerprint`, a broken link's key), or null when it
   * cannot be told without the report (then it is not rate limited). Nothing is built
   * here: a folded occurrence is a counter, and only the latest of a group's folded
   * occurrences is ever built, for its tally; an admitted one is queued unbuilt and built
   * by the worker, dated now. `build` must never throw.
   */
  offer(kind: Report['kind'], group: string | null, build: () => Report): void {
    try {
      this.counters.accepted++;
      if (this.accepting && group !== null && !this.sampler.admitLazily(kind, group, build)) {
        this.counters.folded++;
        return;
      }
      const at = this.clock.now();
      this.worker.enqueue(() => ({ ...build(), timestamp: new Date(at).toISOString() }));
    } catch (err) {
      this.logger.error('delivery could not accept a report', { delivery: this.name, error: messageOf(err) });
    }
  }

  /**
   * Resolves once every report accepted so far is stored, dead-lettered or parked in
   * the outbox, and its notifications are delivered, given up or past `notifyTimeoutMs`.
   * Never rejects.
   */
  async flush(): Promise<void> {
    this.sampler.emitTallies();
    for (;;) {
      const current = this.worker.current;
      if (this.pending.size || current) {
        await Promise.allSettled([this.pending.settled(), current]);
        continue;
      }
      if (this.worker.idle) return;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /**
   * Stops accepting (later reports go straight to the outbox), flushes until the
   * deadline, parks whatever is still undelivered, sends held-back digests, then closes
   * the notifiers and the store, each raced against what is left of the deadline.
   * Resolves within `timeoutMs` whatever they do; never rejects. Meanwhile it keeps the
   * process alive (every other timer of delivery is unref'd), so a shutdown that awaits
   * it gets to deliver or log what it gave up.
   */
  close(timeoutMs = 10_000): Promise<void> {
    this.closing ??= holdingProcess(timeoutMs, this.shutDown(timeoutMs).catch((err: unknown) => {
      this.logger.error('delivery did not close cleanly', { delivery: this.name, error: messageOf(err) });
    }));
    return this.closing;
  }

  private async shutDown(timeoutMs: number): Promise<void> {
    const { clock } = this;
    this.sampler.emitTallies();
    this.accepting = false;
    this.worker.stopAccepting();
    // A little is kept back for the last steps (a timer fires late on a busy machine), so close() ends by its deadline.
    const deadline = clock.now() + Math.max(0, timeoutMs - Math.min(CLOSE_MARGIN_MS, timeoutMs / 10));
    const remaining = () => Math.max(0, deadline - clock.now());
    // Flushing stops early enough to write what is left to the outbox, whatever the store or notifiers do.
    await within(this.flush(), remaining() - Math.min(PARK_RESERVE_MS, timeoutMs / 4), clock);
    this.outage.silence();
    this.replayer?.stop();
    await this.worker.stop();
    this.sampler.stop();
    await within(this.announcer.flushDigests(), remaining(), clock);
    // Notifiers get what is left to send what they hold (their retries stop then); the store closes meanwhile.
    await Promise.all([this.announcer.close(remaining), this.closeStore(remaining)]);
  }

  private async closeStore(remaining: () => number): Promise<void> {
    const { store } = this;
    if (!store?.close) return;
    await callWithin(() => store.close?.(), remaining(), this.clock, (err) => {
      this.logger.warn('store did not close cleanly', { delivery: this.name, error: messageOf(err) });
    });
  }
}

// Time kept back from flushing at close() for writing the undelivered to the outbox,
// and from the whole deadline for the steps that end close().
const PARK_RESERVE_MS = 250;
const CLOSE_MARGIN_MS = 100;

/**
 * One ref'd timer for as long as `closing` runs, and never past the deadline: without
 * it, `server.close(async () => { await tripwire.close(3000) })` lets the process exit
 * as soon as the server is closed, with close() unresolved and its alerts dropped unlogged.
 */
function holdingProcess(timeoutMs: number, closing: Promise<void>): Promise<void> {
  const hold = setTimeout(() => undefined, Math.max(0, timeoutMs));
  return closing.finally(() => clearTimeout(hold));
}
