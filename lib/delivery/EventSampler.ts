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
  /**
   * The latest folded report (or what builds it) and how many occurrences are folded
   * so far; the tally is made from them when emitted.
   */
  latest: Report | (() => Report) | null;
  /** When the latest folded occurrence happened: the time of a tally built later. */
  latestAt: number;
  folded: number;
}

const MINUTE_MS = 60_000;
// Unbuilt tallies hold an error and its request's context each until their tally is
// handed on; past this many, folded reports are built at once instead.
const MAX_LAZY = 1000;

/** The report `build` makes, dated when its occurrence happened; null if building failed. */
function builtAt(build: () => Report, at: number): Report | null {
  try {
    return { ...build(), timestamp: new Date(at).toISOString() };
  } catch {
    // The builders never throw; a tally is still not worth an exception in a timer.
    return null;
  }
}

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
  /** Tallies whose latest report is not built yet (each holds its request's context until then). */
  private lazyHeld = 0;

  constructor(private readonly options: EventSamplerOptions) {
    this.clock = options.clock ?? realClock;
  }

  /** True when the report should go on as a full event; otherwise it has been folded into its group's tally. */
  admit(report: Report, now = this.clock.now()): boolean {
    const quota = this.quotaFor(groupKey(report.kind, report.fingerprint), now);
    if (quota === null || this.takes(quota)) return true;
    this.fold(quota, report, occurrencesOf(report), now);
    return false;
  }

  /**
   * `admit` for a report not built yet, by its group's key: true when it should go on
   * as a full event (the caller queues it, unbuilt). Folded, it costs a counter: only
   * the group's latest is built, when its tally is handed on (within `tallyMs`). Past
   * `MAX_LAZY` unbuilt tallies, a group already holding a report keeps it (the count
   * still grows) and a group holding none goes on as a full event, so what is held
   * stays bounded and nothing is ever built here, on the request path.
   */
  admitLazily(kind: Report['kind'], fingerprint: string, build: () => Report, now = this.clock.now()): boolean {
    const quota = this.quotaFor(groupKey(kind, fingerprint), now);
    if (quota === null || this.takes(quota)) return true;
    if (this.lazyHeld < MAX_LAZY || typeof quota.latest === 'function') {
      this.fold(quota, build, 1, now);
      return false;
    }
    if (quota.latest === null) return true;
    quota.folded += 1;
    return false;
  }

  /** Hands on every pending tally now (flush and close). */
  emitTallies(): void {
    this.stop();
    const quotas = [...this.tallied];
    this.tallied.clear();
    this.lazyHeld = 0;
    for (const quota of quotas) {
      const { latest, latestAt, folded } = quota;
      quota.latest = null;
      quota.folded = 0;
      if (!latest) continue;
      const report = typeof latest === 'function' ? builtAt(latest, latestAt) : latest;
      if (report) this.options.emit({ ...report, occurrences: folded });
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

  /** The group's quota, or null when too many groups are tracked (the report then passes unsampled). */
  private quotaFor(key: string, now: number): GroupQuota | null {
    if (this.options.eventsPerMinute === null) return null;
    let quota = this.groups.get(key);
    if (!quota) {
      if (this.groups.size >= this.options.maxGroups) this.forgetQuietGroups(now);
      if (this.groups.size >= this.options.maxGroups) return null;
      quota = { windowStart: now, admitted: 0, latest: null, latestAt: now, folded: 0 };
      this.groups.set(key, quota);
    }
    if (now - quota.windowStart >= MINUTE_MS) {
      quota.windowStart = now;
      quota.admitted = 0;
    }
    return quota;
  }

  /** Counts a full event against the quota, if the minute's quota has room. */
  private takes(quota: GroupQuota): boolean {
    if (quota.admitted >= this.options.eventsPerMinute!) return false;
    quota.admitted++;
    return true;
  }

  private fold(quota: GroupQuota, latest: Report | (() => Report), occurrences: number, now: number): void {
    if (typeof latest === 'function' && typeof quota.latest !== 'function') this.lazyHeld++;
    if (typeof latest !== 'function' && typeof quota.latest === 'function') this.lazyHeld--;
    quota.latest = latest;
    quota.latestAt = now;
    quota.folded += occurrences;
    this.tallied.add(quota);
    this.schedule();
  }

  private forgetQuietGroups(now: number): void {
    for (const [key, quota] of this.groups) {
      if (now - quota.windowStart >= MINUTE_MS && !quota.latest) this.groups.delete(key);
    }
  }
}
