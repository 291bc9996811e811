import { occurrencesOf } from '../report/occurrences';
import type { Report } from '../report/Report';
import { groupKey } from '../core/groupKey';
import { realClock, type Clock, type ClockTimer } from '../core/clock';

export interface EventSamplerOptions {
  /** Full events kept per group per minute; null keeps every occurrence as its own event. */
  eventsPerMinute: number | null;
  /** How often the occurrences folded past the limit are handed on, as one report per group. */
  tallyMs: number;
  /** Groups tracked at once; past this, reports pass unsampled rather than grow memory. */
  maxGroups: number;
  /** Receives each tally: the group's latest report, standing for `occurrences` of them. */
  emit(tally: Report): void;
  clock?: Clock;
}

interface GroupQuota {
  /** When this group's current minute began: at its first event, not on the calendar minute. */
  windowStart: number;
  admitted: number;
  /** The latest folded report and how many occurrences are folded so far; the tally is made from them when emitted. */
  latest: Report | null;
  folded: number;
}

const MINUTE_MS = 60_000;

/**
 * Per-group rate limit on stored events, the way Sentry and Rollbar limit per issue:
 * a storm of one error must not become a hundred thousand identical documents, nor
 * keep the store (and the event loop serialising for it) busy. Nothing is uncounted:
 * occurrences past the limit are folded into one report per group per `tallyMs`, the
 * latest of them with `occurrences` set, which the store counts in full.
 *
 * Each group's window opens at its first event and lasts a minute, so a storm that
 * crosses a calendar minute still gets `eventsPerMinute` events, not twice that.
 */
export class EventSampler {
  private readonly groups = new Map<string, GroupQuota>();
  private readonly tallied = new Set<GroupQuota>();
  private readonly clock: Clock;
  private timer: ClockTimer | null = null;

  constructor(private readonly options: EventSamplerOptions) {
    this.clock = options.clock ?? realClock;
  }

  /** True when the report should go on as a full event; otherwise it has been folded into its group's tally. */
  admit(report: Report, now = this.clock.now()): boolean {
    const limit = this.options.eventsPerMinute;
    if (limit === null) return true;
    const key = groupKey(report.kind, report.fingerprint);
    let quota = this.groups.get(key);
    if (!quota) {
      if (this.groups.size >= this.options.maxGroups) this.forgetQuietGroups(now);
      if (this.groups.size >= this.options.maxGroups) return true;
      quota = { windowStart: now, admitted: 0, latest: null, folded: 0 };
      this.groups.set(key, quota);
    }
    if (now - quota.windowStart >= MINUTE_MS) {
      quota.windowStart = now;
      quota.admitted = 0;
    }
    if (quota.admitted < limit) {
      quota.admitted++;
      return true;
    }
    quota.latest = report;
    quota.folded += occurrencesOf(report);
    this.tallied.add(quota);
    this.schedule();
    return false;
  }

  /** Hands on every pending tally now (flush and close). */
  emitTallies(): void {
    this.stop();
    const quotas = [...this.tallied];
    this.tallied.clear();
    for (const quota of quotas) {
      const { latest, folded } = quota;
      quota.latest = null;
      quota.folded = 0;
      if (latest) this.options.emit({ ...latest, occurrences: folded });
    }
  }

  get pendingTallies(): number {
    return this.tallied.size;
  }

  stop(): void {
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.timer) return;
    // The clock's timers are unref'd: a pending tally never keeps the process alive; close() emits it.
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      this.emitTallies();
    }, this.options.tallyMs);
  }

  private forgetQuietGroups(now: number): void {
    for (const [key, quota] of this.groups) {
      if (now - quota.windowStart >= MINUTE_MS && !quota.latest) this.groups.delete(key);
    }
  }
}
