import { occurrencesOf } from '../report/occurrences';
import type { Report } from '../report/Report';
import type { Logger } from '../core/logger';
import type { Clock } from '../core/clock';
import type { AlertLedger, GroupOutcome, Notifier, Store } from '../ports';
import type { Counters } from './stats';
import type { PendingWork } from './PendingWork';
import { AlertThrottle } from './AlertThrottle';
import { MemoryLedger } from './MemoryLedger';
import { messageOf } from '../core/errors';
import { groupKey } from '../core/groupKey';
import { callWithin, withDeadline } from './deadline';

export interface AnnouncerOptions {
  name: string;
  store: Store | null;
  notifiers: Notifier[];
  windowMs: number;
  notifyTimeoutMs: number;
  logger: Logger;
  clock: Clock;
  counters: Counters;
  pending: PendingWork;
}

// Groups whose last report is kept for a digest; beyond it the stalest is forgotten.
const DIGEST_GROUPS = 1000;
// Triage says these are stored and counted, never announced.
const SILENT_STATUSES = new Set(['ignored', 'snoozed']);

/**
 * Tells the notifiers what saved reports warrant, through the alert throttle (one alert
 * per group, then digests). Each notifier call runs on its own with a deadline: a slow,
 * throwing or hanging notifier delays no other and not the store; its failure is counted.
 */
export class Announcer {
  private readonly memoryLedger: MemoryLedger;
  private readonly throttle: AlertThrottle;

  constructor(private readonly options: AnnouncerOptions) {
    this.memoryLedger = new MemoryLedger({ clock: options.clock });
    this.throttle = new AlertThrottle({
      windowMs: options.windowMs,
      maxGroups: DIGEST_GROUPS,
      logger: options.logger,
      fallback: this.memoryLedger,
      send: (report) => this.notify(report),
      clock: options.clock,
    });
  }

  /** Announces a batch the store saved, with the store's shared ledger. Never rejects. */
  announceStored(outcomes: GroupOutcome[], reports: Report[]): Promise<void> {
    const audible = outcomes.filter((outcome) => !SILENT_STATUSES.has(outcome.status as string));
    return this.announce(audible, reports, (kind) => this.options.store?.alertLedger?.(kind) ?? this.memoryLedger);
  }

  /** Counts a batch in memory (no store, or the store is down) and announces it, throttled in memory. Never rejects. */
  announceInMemory(reports: Report[]): Promise<void> {
    return this.announce(this.countInMemory(reports), reports, () => this.memoryLedger);
  }

  /** Sends every held-back count now, so a shutdown loses none. */
  flushDigests(): Promise<void> {
    return this.throttle.flushDigests();
  }

  /** Stops the digest timers, then closes every notifier, each raced against what is left of the deadline. */
  async close(remainingMs: () => number): Promise<void> {
    this.throttle.stop();
    const { notifiers, clock, logger, name } = this.options;
    await Promise.all(notifiers.map((notifier) => callWithin(() => notifier.close?.(remainingMs()), remainingMs(), clock, (err) => {
      logger.warn('notifier did not close cleanly', { delivery: name, notifier: nameOf(notifier), error: messageOf(err) });
    })));
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

  /** Hands a report to every notifier that accepts it, each call with its own deadline. */
  private notify(report: Report): void {
    const { counters, notifyTimeoutMs, clock, logger, name } = this.options;
    if (report.alert?.reason === 'digest') counters.digests++;
    else counters.alerts++;
    for (const notifier of this.options.notifiers) {
      const call = (async () => {
        if (notifier.accepts && notifier.accepts(report) === false) return;
        await notifier.notify(report);
      })();
      const bounded = withDeadline(call, notifyTimeoutMs, clock, `did not settle within ${notifyTimeoutMs} ms`).catch((err: unknown) => {
        counters.notifyFailed++;
        logger.warn('notifier failed', { delivery: name, notifier: nameOf(notifier), error: messageOf(err) });
      });
      this.options.pending.track(bounded);
    }
  }
}

function nameOf(notifier: Notifier): string | undefined {
  try {
    return notifier.name ?? notifier.constructor?.name;
  } catch {
    return undefined;
  }
}
