import type { AlertInfo, Report } from '../report/Report';
import type { Logger } from '../core/logger';
import type { AlertClaim, AlertLedger, AlertVerdict, DigestClaim, GroupOutcome } from '../contracts/store';
import type { MemoryLedger } from './MemoryLedger';
import { messageOf } from '../core/errors';
import { groupKey } from '../core/groupKey';
import { realClock, type Clock, type ClockTimer } from '../core/clock';

export interface AlertThrottleOptions {
  /** Each kind has its own window: a broken link's is a day, an error's minutes. */
  windowMs: Record<Report['kind'], number>;
  /** Groups whose last report is kept for their digest; the stalest is forgotten past this. */
  maxGroups: number;
  logger: Logger;
  /** Used when the primary ledger fails (the store went away between save and alert). */
  fallback: MemoryLedger;
  /** Hands an announced report (with `alert` set) to the notifiers. */
  send(report: Report): void;
  /** Digest timers and the time of each claim; its timers are unref'd. */
  clock?: Clock;
}

interface GroupEntry {
  kind: Report['kind'];
  fingerprint: string;
  report: Report;
  count: number | null;
  ledger: AlertLedger;
  timer: ClockTimer | null;
  /** Occurrences recorded while the digest timer was already set. */
  recordsSinceSchedule: number;
}

/**
 * Whether a saved group is announced at all. Triage silences ignored and snoozed groups;
 * a resolved group speaks again only when this save reopened it (a regression); an
 * occurrence from a release older than the fix is counted by the store and never
 * announced (a rolling deploy's old processes still throw the fixed error).
 */
export function isAnnounced(outcome: GroupOutcome): boolean {
  if (outcome.oldRelease === true) return false;
  if (outcome.status === 'ignored' || outcome.status === 'snoozed') return false;
  return !(outcome.status === 'resolved' && !outcome.regressed);
}

/** Why a group the ledger lets through is announced; the first match wins. */
function reasonOf(outcome: GroupOutcome): AlertInfo['reason'] {
  if (outcome.isNew) return outcome.overflowed ? 'overflow' : 'new';
  if (outcome.regressed) return 'regression';
  if (outcome.snoozeEnded) return 'snooze-ended';
  return 'window';
}

// Timers and wall clocks can disagree by a millisecond or two; a digest claimed a hair
// early would find its window still open and be skipped.
const TIMER_SLACK_MS = 25;

/**
 * First occurrence of a group → alert; later ones inside the window → counted; at the
 * window's end → one digest "×N more"; an occurrence after a quiet window → alert again,
 * carrying what was held back. Whether to announce is the ledger's decision (shared
 * through the store across instances); this class keeps one digest timer per group.
 */
export class AlertThrottle {
  private readonly groups = new Map<string, GroupEntry>();
  private stopped = false;
  private readonly clock: Clock;

  constructor(private readonly options: AlertThrottleOptions) {
    this.clock = options.clock ?? realClock;
  }

  /** Announces what a saved batch warrants (silent groups: see isAnnounced); `ledgerFor` picks each kind's ledger. */
  async announce(outcomes: GroupOutcome[], reports: Report[], ledgerFor: (kind: Report['kind']) => AlertLedger): Promise<void> {
    const latest = new Map<string, Report>();
    for (const report of reports) latest.set(groupKey(report.kind, String(report.fingerprint)), report);
    await Promise.all(outcomes.filter(isAnnounced).map((outcome) => {
      const report = latest.get(groupKey(outcome.kind, outcome.fingerprint));
      return report ? this.announceGroup(outcome, report, ledgerFor(outcome.kind)) : undefined;
    }));
  }

  /** Sends every held-back count now (window or not), so a shutdown loses none. */
  async flushDigests(): Promise<void> {
    const due = [...this.groups.values()].filter((entry) => entry.timer);
    for (const entry of due) {
      this.clock.clearTimeout(entry.timer ?? undefined);
      entry.timer = null;
    }
    await Promise.all(due.map((entry) => this.sendDigest(entry, 0)));
  }

  stop(): void {
    this.stopped = true;
    for (const entry of this.groups.values()) {
      if (entry.timer) this.clock.clearTimeout(entry.timer);
      entry.timer = null;
    }
  }

  private async announceGroup(outcome: GroupOutcome, report: Report, ledger: AlertLedger): Promise<void> {
    // A new group, a regression and a snooze's end are news whatever the window says.
    const force = outcome.isNew || outcome.regressed || outcome.snoozeEnded !== undefined;
    // Nothing newly stored (a replay of what was already announced): nothing to say.
    if (outcome.added === 0 && !force) return;
    const windowMs = this.options.windowMs[outcome.kind];
    const occurrences = Math.max(1, outcome.added);
    const claim = { kind: outcome.kind, fingerprint: outcome.fingerprint, occurrences, force, now: new Date(this.clock.now()), windowMs };
    const { verdict, used } = await this.decide(outcome, claim, ledger);
    const entry = this.remember(outcome, report, used);
    if (verdict.send) {
      const reason = reasonOf(outcome);
      const alert: AlertInfo = { reason, suppressed: verdict.suppressed, windowMs, count: outcome.count };
      if (reason === 'snooze-ended') alert.snoozeEnded = outcome.snoozeEnded;
      this.options.send({ ...report, alert });
    }
    if (!verdict.send || occurrences > 1) this.scheduleDigest(entry);
  }

  /**
   * The store's decision when it made one in the same trip as the save (MongoStore
   * does: no second trip), else the ledger's, else the in-memory fallback's.
   */
  private async decide(outcome: GroupOutcome, claim: AlertClaim, ledger: AlertLedger): Promise<{ verdict: AlertVerdict; used: AlertLedger }> {
    if (outcome.alert) return { verdict: outcome.alert, used: ledger };
    try {
      return { verdict: await ledger.record(claim), used: ledger };
    } catch (err) {
      this.options.logger.warn('alert ledger unavailable; throttling in memory', { error: messageOf(err) });
      return { verdict: await this.options.fallback.record(claim), used: this.options.fallback };
    }
  }

  private remember(outcome: GroupOutcome, report: Report, ledger: AlertLedger): GroupEntry {
    const key = groupKey(outcome.kind, outcome.fingerprint);
    const entry = this.groups.get(key) ?? {
      kind: outcome.kind, fingerprint: outcome.fingerprint, report, count: null, ledger, timer: null, recordsSinceSchedule: 0,
    };
    entry.report = report;
    entry.ledger = ledger;
    if (outcome.count !== null) entry.count = outcome.count;
    this.groups.delete(key);
    this.groups.set(key, entry);
    if (this.groups.size > this.options.maxGroups) {
      // A forgotten group's held-back count stays in its ledger and is carried by its next alert.
      const [stalest] = this.groups.values();
      if (stalest.timer) this.clock.clearTimeout(stalest.timer);
      this.groups.delete(groupKey(stalest.kind, stalest.fingerprint));
    }
    return entry;
  }

  private scheduleDigest(entry: GroupEntry): void {
    if (this.stopped) return;
    if (entry.timer) {
      entry.recordsSinceSchedule++;
      return;
    }
    entry.recordsSinceSchedule = 0;
    entry.timer = this.clock.setTimeout(() => {
      entry.timer = null;
      void this.sendDigest(entry, this.options.windowMs[entry.kind]).then((sent) => {
        // Another instance may have moved the window after this timer was set; occurrences
        // recorded since then still need a digest of their own.
        if (!sent && entry.recordsSinceSchedule > 0 && this.groups.get(groupKey(entry.kind, entry.fingerprint)) === entry) this.scheduleDigest(entry);
      });
    }, this.options.windowMs[entry.kind] + TIMER_SLACK_MS);
  }

  /** Claims and sends a digest; resolves whether one was sent. Never rejects. */
  private async sendDigest(entry: GroupEntry, windowMs: number): Promise<boolean> {
    let claim: DigestClaim = { suppressed: 0, count: null };
    try {
      claim = await entry.ledger.claimDigest(entry.kind, entry.fingerprint, new Date(this.clock.now()), windowMs);
    } catch (err) {
      this.options.logger.warn('could not claim an alert digest', { fingerprint: entry.fingerprint, error: messageOf(err) });
    }
    if (claim.suppressed <= 0) return false;
    const count = claim.count ?? entry.count;
    this.options.send({ ...entry.report, alert: { reason: 'digest', suppressed: claim.suppressed, windowMs, count } });
    return true;
  }
}


