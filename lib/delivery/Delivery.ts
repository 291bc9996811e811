/**
 * Takes reports off the request path and gets them stored and announced.
 *
 * `accept(report)` is synchronous, O(1), never throws and does no I/O: the report is
 * pushed onto a bounded in-memory queue and a worker is woken. The worker saves
 * batches to the store and then asks the alert throttle what to announce.
 *
 * A storm of one error is rate limited per group (`eventsPerMinute`, see EventSampler):
 * past the limit, occurrences are counted into one report per group per second
 * instead of each becoming an event to store.
 *
 * Memory stays bounded. Past `maxQueue`, reports are spilled to the outbox on disk;
 * past `outboxMaxBytes`, they are dropped, counted in `stats.dropped` and logged
 * (rate-limited, never silently). Without a store there is no outbox, so overflow is
 * dropped the same way.
 *
 * When the store fails, the batch is parked in the outbox (NDJSON, fsync'd) and its
 * alerts still go out at once, throttled in memory; the lines are marked notified so a
 * replay does not alert twice. While the outbox holds anything, new batches join it
 * behind the old ones, keeping order, and a replay loop retries the oldest segment with
 * jittered exponential backoff. Segments left by an earlier process are replayed at
 * start. Stores are idempotent by report id, so a replay interrupted by a crash does
 * not store or count anything twice.
 */
import path from 'node:path';
import { occurrencesOf } from '../report/occurrences';
import type { Report } from '../report/Report';
import type { Logger } from '../core/logger';
import type { Notifier } from './ports';
import type { AlertLedger, GroupOutcome, Store } from './ports';
import { consoleLogger } from '../core/logger';
import { AlertThrottle } from './AlertThrottle';
import { EventSampler } from './EventSampler';
import { MemoryLedger } from './MemoryLedger';
import { Outbox, type OutboxEntry } from './Outbox';
import { ReportQueue } from './ReportQueue';
import { backoffDelay, type BackoffOptions } from '../core/backoff';
import { DropLog } from './dropLog';
import { messageOf } from '../core/errors';
import { definedOnly } from '../core/options';
import { groupKey } from '../core/groupKey';

export interface DeliveryOptions {
  /** Names the outbox directory and log lines; one per reporter ('errors', 'broken-links'). */
  name?: string;
  /** Null: reports only go to notifiers, and groups are counted in memory. */
  store?: Store | null;
  notifiers?: Notifier[];
  /** Alert throttle window: one alert per group, then one digest per window. */
  windowMs?: number;
  /**
   * Full events stored per group per minute; further occurrences are counted and
   * folded into one report per group per second. Null stores every occurrence.
   */
  eventsPerMinute?: number | null;
  maxQueue?: number;
  batchSize?: number;
  /** Null: `<cwd>/.tripwire-outbox/<name>`. */
  outboxDir?: string | null;
  outboxMaxBytes?: number;
  /**
   * A save that neither succeeds nor fails within this is treated as failed and its
   * batch parked, so a store hung on a half-open connection cannot stall delivery.
   */
  saveTimeoutMs?: number;
  retry?: Partial<BackoffOptions>;
  logger?: Logger;
}

export const defaults = {
  name: 'errors',
  store: null as Store | null,
  notifiers: [] as Notifier[],
  windowMs: 10 * 60_000,
  eventsPerMinute: 100 as number | null,
  maxQueue: 1000,
  batchSize: 100,
  outboxDir: null as string | null,
  outboxMaxBytes: 100 * 1024 * 1024,
  saveTimeoutMs: 30_000,
  retry: { baseMs: 200, maxMs: 30_000 },
  logger: consoleLogger as Logger,
};

export interface DeliveryStats {
  accepted: number;
  /** Occurrences past `eventsPerMinute`, counted into tallies rather than queued one by one. */
  folded: number;
  /** Reports the store took, first try or replayed. */
  stored: number;
  /** Reports written to the outbox. */
  outboxed: number;
  /** Reports the store took from the outbox. */
  replayed: number;
  dropped: number;
  /** Alerts sent (new, regression, window), each counted once however many notifiers got it. */
  alerts: number;
  digests: number;
  notifyFailed: number;
  queued: number;
}

// Groups whose last report is kept for a digest; beyond it the stalest is forgotten.
const DIGEST_GROUPS = 1000;
// How often folded occurrences are handed on, and how many groups the sampler tracks.
const TALLY_MS = 1000;
const SAMPLED_GROUPS = 10_000;

export class Delivery {
  readonly name: string;
  private readonly store: Store | null;
  private readonly notifiers: Notifier[];
  private readonly windowMs: number;
  private readonly maxQueue: number;
  private readonly batchSize: number;
  private readonly saveTimeoutMs: number;
  private readonly retry: BackoffOptions;
  private readonly logger: Logger;
  private readonly outbox: Outbox | null;
  private readonly memoryLedger = new MemoryLedger();
  private readonly throttle: AlertThrottle;
  private readonly drops: DropLog;
  private readonly sampler: EventSampler;
  private readonly counters = { accepted: 0, folded: 0, stored: 0, outboxed: 0, replayed: 0, dropped: 0, alerts: 0, digests: 0, notifyFailed: 0 };

  private readonly queue = new ReportQueue();
  private spilled: Report[] = [];
  private wakeScheduled = false;
  private spillScheduled = false;
  private draining: Promise<void> | null = null;
  private replaying: Promise<void> | null = null;
  private endPause: (() => void) | null = null;
  /** Batches handed to store.save and not settled; `parked` once close wrote them to the outbox. */
  private readonly inFlight = new Map<Report[], { parked: boolean }>();
  /** Outbox writes, alert decisions and notifier calls still running, for flush(). */
  private readonly pending = new Set<Promise<unknown>>();
  /** A save failed and no replay has succeeded since. */
  private outage = false;
  private accepting = true;
  /** Past close()'s deadline: no more saves or replays in this process. */
  private stopped = false;
  private closing: Promise<void> | null = null;

  constructor(options: DeliveryOptions = {}) {
    const settings = validate(options);
    this.name = settings.name;
    this.store = settings.store;
    this.notifiers = settings.notifiers;
    this.windowMs = settings.windowMs;
    this.maxQueue = settings.maxQueue;
    this.batchSize = settings.batchSize;
    this.saveTimeoutMs = settings.saveTimeoutMs;
    this.retry = settings.retry;
    this.logger = settings.logger;
    this.drops = new DropLog(this.logger, this.name);
    this.throttle = new AlertThrottle({
      windowMs: this.windowMs,
      maxGroups: DIGEST_GROUPS,
      logger: this.logger,
      fallback: this.memoryLedger,
      send: (report) => this.notify(report),
    });
    this.sampler = new EventSampler({
      eventsPerMinute: settings.eventsPerMinute,
      tallyMs: TALLY_MS,
      maxGroups: SAMPLED_GROUPS,
      emit: (tally) => this.enqueue(tally),
    });
    this.outbox = this.store ? new Outbox(settings.outboxDir, settings.outboxMaxBytes, this.logger) : null;
    // An earlier process may have left reports behind: replay them as soon as the directory is read.
    this.outbox?.ready.then((usable) => { if (usable && !this.outbox?.empty) this.startReplay(); });
  }

  get stats(): DeliveryStats {
    return { ...this.counters, queued: this.queue.length };
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
      this.enqueue(report);
    } catch (err) {
      this.logger.error('delivery could not accept a report', { delivery: this.name, error: messageOf(err) });
    }
  }

  private enqueue(report: Report): void {
    if (!this.accepting || this.queue.length >= this.maxQueue) {
      this.spill(report);
      return;
    }
    this.queue.push(report);
    this.wake();
  }

  /**
   * Resolves once every report accepted so far is stored or parked in the outbox, and
   * its notifications are delivered or given up. Never rejects.
   */
  async flush(): Promise<void> {
    this.sampler.emitTallies();
    for (;;) {
      const waits: Promise<unknown>[] = [...this.pending];
      if (this.draining) waits.push(this.draining);
      if (waits.length) {
        await Promise.allSettled(waits);
        continue;
      }
      const queued = !this.stopped && this.queue.length > 0;
      if (!queued && this.spilled.length === 0 && !this.wakeScheduled && !this.spillScheduled) return;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /**
   * Stops accepting (later reports go straight to the outbox), flushes until the
   * deadline, sends held-back digests, parks whatever is still undelivered, then closes
   * the notifiers and the store. Never rejects.
   */
  close(timeoutMs = 10_000): Promise<void> {
    this.closing ??= this.shutDown(timeoutMs).catch((err: unknown) => {
      this.logger.error('delivery did not close cleanly', { delivery: this.name, error: messageOf(err) });
    });
    return this.closing;
  }

  private async shutDown(timeoutMs: number): Promise<void> {
    this.sampler.emitTallies();
    this.accepting = false;
    const deadline = Date.now() + Math.max(0, timeoutMs);
    const remaining = () => Math.max(0, deadline - Date.now());
    await within(this.flush(), remaining());
    this.stopped = true;
    this.endPause?.();

    const undelivered = this.queue.takeAll();
    for (const [batch, state] of this.inFlight) {
      // The save may still succeed after this; the store's idempotency makes the copy harmless.
      state.parked = true;
      undelivered.push(...batch);
    }
    if (undelivered.length) await this.park(undelivered, false);
    await within(this.throttle.flushDigests(), remaining());
    this.throttle.stop();
    this.sampler.stop();
    await within(Promise.allSettled([...this.pending]), remaining());

    await Promise.allSettled(this.notifiers.map(async (notifier) => notifier.close?.()));
    try {
      await this.store?.close?.();
    } catch (err) {
      this.logger.warn('store did not close cleanly', { delivery: this.name, error: messageOf(err) });
    }
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
      const batch = this.queue.take(this.batchSize);
      await this.deliver(batch).catch((err: unknown) => {
        this.logger.error('could not deliver a batch', { delivery: this.name, reports: batch.length, error: messageOf(err) });
      });
    }
  }

  /** Stores one batch, or parks it; then announces it. */
  private async deliver(batch: Report[]): Promise<void> {
    if (!this.store) {
      await this.announce(this.countInMemory(batch), batch, () => this.memoryLedger);
      return;
    }
    if (this.outage || !this.outbox?.empty) {
      await this.parkBehindOutbox(batch);
      return;
    }
    const state = { parked: false };
    this.inFlight.set(batch, state);
    try {
      const outcomes = await this.save(this.store, batch);
      this.counters.stored += batch.length;
      await this.announce(outcomes, batch, (kind) => this.ledgerFor(kind));
    } catch (err) {
      this.storeFailed(err);
      if (!state.parked) await this.parkBehindOutbox(batch);
    } finally {
      this.inFlight.delete(batch);
    }
  }

  /** store.save with a deadline. A save that answers late is harmless: stores are idempotent by report id. */
  private save(store: Store, reports: Report[]): Promise<GroupOutcome[]> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`store did not answer within ${this.saveTimeoutMs} ms`)), this.saveTimeoutMs);
    });
    const saving = Promise.resolve().then(() => store.save(reports));
    // The losing side of the race must not become an unhandled rejection.
    saving.catch(() => undefined);
    return Promise.race([saving, deadline]).finally(() => clearTimeout(timer));
  }

  /**
   * Joins the outbox queue. In an outage the alerts go out now, throttled in memory,
   * rather than whenever the store returns; otherwise the replay announces them.
   */
  private async parkBehindOutbox(batch: Report[]): Promise<void> {
    const alertNow = this.outage;
    if (alertNow) await this.announce(this.countInMemory(batch), batch, () => this.memoryLedger);
    await this.park(batch, alertNow);
    this.startReplay();
  }

  private storeFailed(err: unknown): void {
    // After close() the store is closed on purpose: saves still in flight fail quietly.
    if (this.outage || this.stopped) return;
    this.outage = true;
    this.logger.error('store unavailable; parking reports in the outbox until it answers', { delivery: this.name, error: messageOf(err) });
  }

  private startReplay(): void {
    if (!this.store || !this.outbox || this.replaying || this.stopped) return;
    this.replaying = this.replay().then(() => {
      this.replaying = null;
      // Batches parked while the loop was finishing get a loop of their own.
      if (this.outbox?.oldest()) this.startReplay();
    }, (err: unknown) => {
      // Not restarted at once, which could spin; the next parked batch starts it again.
      this.replaying = null;
      this.logger.error('outbox replay stopped', { delivery: this.name, error: messageOf(err) });
    });
  }

  /** Replays the outbox oldest segment first; each segment is deleted only once stored. */
  private async replay(): Promise<void> {
    const { store, outbox } = this;
    if (!store || !outbox || !(await outbox.ready)) return;
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
      const reports = entries.map((entry) => entry.report);
      let outcomes: GroupOutcome[];
      try {
        outcomes = await this.save(store, reports);
      } catch (err) {
        this.storeFailed(err);
        if (!this.stopped) await this.pause(backoffDelay(++failures, this.retry));
        continue;
      }
      failures = 0;
      if (this.outage) {
        this.outage = false;
        this.logger.info('store is back; replaying the outbox', { delivery: this.name });
      }
      this.counters.stored += reports.length;
      this.counters.replayed += reports.length;
      await outbox.remove(segment);
      const unannounced = entries.filter((entry) => !entry.notified).map((entry) => entry.report);
      if (unannounced.length) await this.announce(outcomes, unannounced, (kind) => this.ledgerFor(kind));
    }
  }

  /** Sleeps between replay attempts; cut short by close(). Unref'd: a retry never keeps the process alive. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      function done() { clearTimeout(timer); resolve(); }
      this.endPause = () => { this.endPause = null; done(); };
    });
  }

  private spill(report: Report): void {
    // Without a store there is no outbox; the spill buffer itself is bounded like the queue.
    if (!this.outbox || this.spilled.length >= this.maxQueue) {
      this.dropped(1, this.outbox ? 'outbox writes are behind' : 'queue full');
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
      const reports = this.spilled;
      this.spilled = [];
      await this.park(reports, false);
    }
    this.spillScheduled = false;
    this.startReplay();
  }

  /** Writes reports to the outbox; what does not fit is dropped and logged. Never rejects. */
  private park(reports: Report[], notified: boolean): Promise<void> {
    if (!this.outbox) {
      this.dropped(reports.length, 'no outbox');
      return Promise.resolve();
    }
    const entries: OutboxEntry[] = reports.map((report) => ({ report, notified }));
    return this.track(this.outbox.append(entries).then(({ written, dropped }) => {
      this.counters.outboxed += written;
      this.dropped(dropped, 'outbox full');
    }));
  }

  private dropped(count: number, reason: string): void {
    if (count <= 0) return;
    this.counters.dropped += count;
    this.drops.dropped(count, reason);
  }

  private ledgerFor(kind: Report['kind']): AlertLedger {
    return this.store?.alertLedger?.(kind) ?? this.memoryLedger;
  }

  private countInMemory(batch: Report[]): GroupOutcome[] {
    const groups = new Map<string, { kind: Report['kind']; fingerprint: string; added: number }>();
    for (const report of batch) {
      const fingerprint = String(report.fingerprint);
      const key = groupKey(report.kind, fingerprint);
      const group = groups.get(key) ?? { kind: report.kind, fingerprint, added: 0 };
      group.added += occurrencesOf(report);
      groups.set(key, group);
    }
    return [...groups.values()].map((group) => {
      const { isNew, count } = this.memoryLedger.count(group.kind, group.fingerprint, group.added);
      return { ...group, count, isNew, regressed: false };
    });
  }

  /** Never rejects: an alert decision that fails is logged and the reports stay stored. */
  private announce(outcomes: GroupOutcome[], reports: Report[], ledgerFor: (kind: Report['kind']) => AlertLedger): Promise<void> {
    return this.track(this.throttle.announce(outcomes, reports, ledgerFor).catch((err: unknown) => {
      this.logger.error('could not decide on alerts', { delivery: this.name, error: messageOf(err) });
    }));
  }

  /**
   * Hands a report to every notifier that accepts it. Each runs on its own: a slow one
   * delays no other and not the store; a throw or rejection is caught and counted.
   */
  private notify(report: Report): void {
    if (report.alert?.reason === 'digest') this.counters.digests++;
    else this.counters.alerts++;
    for (const notifier of this.notifiers) {
      const call = (async () => {
        if (notifier.accepts && notifier.accepts(report) === false) return;
        await notifier.notify(report);
      })().catch((err: unknown) => {
        this.counters.notifyFailed++;
        this.logger.warn('notifier failed', { delivery: this.name, notifier: notifier.name ?? notifier.constructor?.name, error: messageOf(err) });
      });
      this.track(call);
    }
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.pending.add(promise);
    void promise.finally(() => this.pending.delete(promise)).catch(() => undefined);
    return promise;
  }
}

function validate(options: DeliveryOptions) {
  if (options === null || typeof options !== 'object') throw new TypeError('Delivery: options must be an object');
  const settings = { ...defaults, ...definedOnly(options), retry: { ...defaults.retry, ...definedOnly(options.retry ?? {}) } };
  const { name, store, notifiers, logger, retry } = settings;
  if (typeof name !== 'string' || !/^[\w.-]+$/.test(name) || name === '.' || name === '..') {
    throw new TypeError('Delivery: `name` must be letters, digits, ".", "_" or "-" (it names the outbox directory)');
  }
  if (store !== null && (typeof store !== 'object' || typeof store.save !== 'function')) {
    throw new TypeError('Delivery: `store` must be a Store (with save()) or null');
  }
  if (!Array.isArray(notifiers) || notifiers.some((n) => !n || typeof n.notify !== 'function')) {
    throw new TypeError('Delivery: `notifiers` must be an array of Notifiers (with notify())');
  }
  if (settings.eventsPerMinute !== null && (!Number.isInteger(settings.eventsPerMinute) || settings.eventsPerMinute < 1)) {
    throw new RangeError('Delivery: `eventsPerMinute` must be a positive integer, or null to store every occurrence');
  }
  for (const key of ['windowMs', 'maxQueue', 'batchSize', 'outboxMaxBytes', 'saveTimeoutMs'] as const) {
    if (!Number.isInteger(settings[key]) || settings[key] < 1) throw new RangeError(`Delivery: \`${key}\` must be a positive integer`);
  }
  if (!Number.isFinite(retry.baseMs) || retry.baseMs < 1) throw new RangeError('Delivery: `retry.baseMs` must be at least 1');
  if (!Number.isFinite(retry.maxMs) || retry.maxMs < retry.baseMs) throw new RangeError('Delivery: `retry.maxMs` must be at least `retry.baseMs`');
  if (settings.outboxDir !== null && (typeof settings.outboxDir !== 'string' || settings.outboxDir === '')) {
    throw new TypeError('Delivery: `outboxDir` must be a directory path or null');
  }
  if (!logger || ['info', 'warn', 'error'].some((m) => typeof (logger as unknown as Record<string, unknown>)[m] !== 'function')) {
    throw new TypeError('Delivery: `logger` must have info, warn and error methods');
  }
  const outboxDir = settings.outboxDir ?? path.join(process.cwd(), '.tripwire-outbox', name);
  return { ...settings, outboxDir, retry: { baseMs: retry.baseMs, maxMs: retry.maxMs } };
}


/** Waits for a promise, or gives up on it after `ms`; never rejects. */
async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    promise.catch(() => undefined),
    new Promise((resolve) => { timer = setTimeout(resolve, ms); }),
  ]);
  clearTimeout(timer);
}

