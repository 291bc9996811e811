import { occurrencesOf } from '../report/occurrences';
import type { Report } from '../report/Report';
import type { Logger } from '../core/logger';
import type { Clock } from '../core/clock';
import type { AlertLedger, GroupOutcome, Store } from '../contracts/store';
import type { Notifier } from '../contracts/notifier';
import type { Counters } from './stats';
import type { PendingWork } from './PendingWork';
import { AlertThrottle } from './AlertThrottle';
import { MemoryLedger } from './MemoryLedger';
import { messageOf } from '../core/errors';
import { groupKey } from '../core/groupKey';
import { definedOnly } from '../core/options';
import { callWithin, within } from './deadline';
import { notifierPipeline, type NotifierPipeline, type PipelineOptions } from '../notifiers/notifierPipeline';
import { announcedKind, kindRouteOf } from '../notifiers/kindRoute';

// The options delivery has always passed; the optional ones below have their defaults here.
export interface AnnouncerOptions extends Partial<typeof announcerDefaults> {
  name: string;
  store: Store | null;
  notifiers: Notifier[];
  /** The alert window of each kind (deliveryOptions.ts reads the setting). */
  windowMs: Record<Report['kind'], number>;
  /** How long flush() waits for one notification; also the attempt deadline of a notifier of the app's own. */
  notifyTimeoutMs: number;
  logger: Logger;
  clock: Clock;
  counters: Counters;
  pending: PendingWork;
}

const announcerDefaults = {
  /**
   * Pipeline settings (lib/notifiers/notifierPipeline.ts) for every notifier, under a
   * built-in notifier's own options: e.g. `{ maxRetries: 2 }` retries an app's notifier
   * whose `notify` rejects, `{ maxAlertsPerWindow: 5 }` tightens the budget of each kind.
   */
  notifierDefaults: {} as PipelineOptions,
  /** Groups whose last report is kept for a digest; beyond it the stalest is forgotten. */
  digestGroups: 1000,
};

/**
 * Tells the notifiers what saved reports warrant, through the alert throttle (one alert
 * per group, then digests). Each notifier has one pipeline (routing filter, a budget per
 * kind, paced queue with retries, attempt deadlines: lib/notifiers/notifierPipeline.ts),
 * built here for built-in notifiers and an app's plain objects alike: a slow, throwing or
 * hanging notifier delays no other and not the store; its failure is counted.
 */
export class Announcer {
  private readonly memoryLedger: MemoryLedger;
  private readonly throttle: AlertThrottle;
  private readonly pipelines: NotifierPipeline[];
  /** The kinds each pipeline is told (a notifier routed to some kinds: lib/notifiers/kindRoute.ts); null: every kind. */
  private readonly kindsOf = new Map<NotifierPipeline, ReadonlySet<Report['kind']> | null>();

  constructor(private readonly options: AnnouncerOptions) {
    const { notifierDefaults, digestGroups } = { ...announcerDefaults, ...definedOnly(options) };
    const { clock, logger, notifyTimeoutMs } = options;
    this.memoryLedger = new MemoryLedger({ clock });
    // A notifier listed twice is still one pipeline, told once, of the kinds of every listing.
    // A notifier routed to some kinds goes through its own pipeline, with its own settings.
    for (const given of new Set(options.notifiers)) {
      const { notifier, kinds } = kindRouteOf(given);
      const pipeline = notifierPipeline(notifier, { clock, logger, timeoutMs: notifyTimeoutMs, ...notifierDefaults });
      const known = this.kindsOf.get(pipeline);
      this.kindsOf.set(pipeline, known === undefined ? kinds : known === null || kinds === null ? null : new Set([...known, ...kinds]));
    }
    this.pipelines = [...this.kindsOf.keys()];
    this.throttle = new AlertThrottle({
      windowMs: options.windowMs,
      maxGroups: digestGroups,
      logger,
      fallback: this.memoryLedger,
      send: (report) => this.notify(report),
      clock,
    });
  }

  /** Announces a batch the store saved (silent groups stay silent: AlertThrottle's isAnnounced), with the store's shared ledger. Never rejects. */
  announceStored(outcomes: GroupOutcome[], reports: Report[]): Promise<void> {
    return this.announce(outcomes, reports, (kind) => this.options.store?.alertLedger?.(kind) ?? this.memoryLedger);
  }

  /** Counts a batch in memory (no store, or the store is down) and announces it, throttled in memory. Never rejects. */
  announceInMemory(reports: Report[]): Promise<void> {
    return this.announce(this.countInMemory(reports), reports, () => this.memoryLedger);
  }

  /** Sends every held-back count now, so a shutdown loses none. */
  flushDigests(): Promise<void> {
    return this.throttle.flushDigests();
  }

  /**
   * Stops the digest timers, then closes every pipeline (summaries, queue, then the
   * notifier), each raced against what is left of the deadline. A pipeline still sending
   * then has what it holds cancelled and logged before this resolves: its own deadline
   * timer may fire after ours, and the process may exit as soon as close() resolves.
   */
  async close(remainingMs: () => number): Promise<void> {
    this.throttle.stop();
    const { clock, logger, name } = this.options;
    await Promise.all(this.pipelines.map(async (pipeline) => {
      await callWithin(() => pipeline.close(remainingMs()), remainingMs(), clock, (err) => {
        logger.warn('notifier did not close cleanly', { delivery: name, notifier: pipeline.label, error: messageOf(err) });
      });
      await pipeline.cancelQueued();
    }));
  }

  private announce(outcomes: GroupOutcome[], reports: Report[], ledgerFor: (kind: Report['kind']) => AlertLedger): Promise<void> {
    return this.options.pending.track(this.throttle.announce(outcomes, reports, ledgerFor).catch((err: unknown) => {
      this.options.logger.error('could not decide on alerts', { delivery: this.options.name, error: messageOf(err) });
    }));
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

  /**
   * Hands a report to every notifier's pipeline. flush() waits for each at most
   * `notifyTimeoutMs` (a message paced behind others is still sent); a message the
   * pipeline gives up on is counted (and logged by it, "notifier failed: …").
   */
  private notify(report: Report): void {
    const { counters, notifyTimeoutMs, clock } = this.options;
    if (report.alert?.reason === 'digest') counters.digests++;
    else counters.alerts++;
    const kind = announcedKind(report);
    for (const pipeline of this.pipelines) {
      if (this.kindsOf.get(pipeline)?.has(kind) === false) continue;
      const outcome = pipeline.notify(report).then((result) => {
        if (result === 'failed') counters.notifyFailed++;
      });
      this.options.pending.track(within(outcome, notifyTimeoutMs, clock));
    }
  }
}
