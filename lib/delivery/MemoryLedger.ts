import type { Report } from '../report/Report';
import type { AlertClaim, AlertLedger, AlertVerdict, DigestClaim } from '../contracts/store';
import { groupKey } from '../core/groupKey';
import { isClock, realClock, type Clock } from '../core/clock';
import { checkPositiveInteger, definedOnly, rejectUnknownKeys } from '../core/options';

interface GroupState {
  /** Occurrences seen by this process. */
  count: number;
  lastAlertAt: number | null;
  pending: number;
}

const defaults = {
  /** Groups remembered; past it the least recently touched is forgotten. */
  maxGroups: 10_000,
  /** The time of a claim that carries none (or an invalid one); AlertThrottle passes its own. */
  clock: realClock as Clock,
};

export type MemoryLedgerOptions = Partial<typeof defaults>;

/**
 * Alert throttle state and group counts for one process: used when there is no store,
 * and as the fallback while the store is unreachable. Bounded: past `maxGroups`, the
 * least recently touched group is forgotten (its next occurrence counts as new).
 *
 * An announced call holds back its other occurrences (`occurrences - 1`) as pending,
 * so the digest at the window's end accounts for every occurrence.
 */
export class MemoryLedger implements AlertLedger {
  private readonly groups = new Map<string, GroupState>();
  private readonly maxGroups: number;
  private readonly clock: Clock;

  constructor(options: MemoryLedgerOptions = {}) {
    rejectUnknownKeys('MemoryLedger', options, Object.keys(defaults));
    const { maxGroups, clock } = { ...defaults, ...definedOnly(options) };
    checkPositiveInteger('MemoryLedger', 'maxGroups', maxGroups);
    if (!isClock(clock)) throw new TypeError('MemoryLedger: `clock` must have now, setTimeout and clearTimeout (or leave it out for the real clock)');
    this.maxGroups = maxGroups;
    this.clock = clock;
  }

  /** Counts occurrences of a group; `isNew` is true the first time this process sees it. */
  count(kind: Report['kind'], fingerprint: string, occurrences: number): { isNew: boolean; count: number } {
    const key = groupKey(kind, fingerprint);
    const isNew = !this.groups.has(key);
    const state = this.touch(key);
    state.count += occurrences;
    return { isNew, count: state.count };
  }

  async record(claim: AlertClaim): Promise<AlertVerdict> {
    const state = this.touch(groupKey(claim.kind, claim.fingerprint));
    const now = this.timeOf(claim.now);
    const windowOver = state.lastAlertAt === null || state.lastAlertAt <= now - claim.windowMs;
    if (claim.force || windowOver) {
      const suppressed = state.pending;
      state.lastAlertAt = now;
      state.pending = Math.max(0, claim.occurrences - 1);
      return { send: true, suppressed };
    }
    state.pending += claim.occurrences;
    return { send: false, suppressed: 0 };
  }

  async claimDigest(kind: Report['kind'], fingerprint: string, now: Date, windowMs: number): Promise<DigestClaim> {
    const state = this.groups.get(groupKey(kind, fingerprint));
    if (!state || state.pending <= 0) return { suppressed: 0, count: null };
    const at = this.timeOf(now);
    if (state.lastAlertAt !== null && state.lastAlertAt > at - windowMs) return { suppressed: 0, count: null };
    const pending = state.pending;
    state.pending = 0;
    state.lastAlertAt = at;
    // Only groups counted here (no store) have a count of their own.
    return { suppressed: pending, count: state.count > 0 ? state.count : null };
  }

  private timeOf(date: Date | undefined): number {
    const time = date instanceof Date ? date.getTime() : NaN;
    return Number.isFinite(time) ? time : this.clock.now();
  }

  /** The group's state, moved to the most recent end so eviction takes the stalest. */
  private touch(key: string): GroupState {
    const state = this.groups.get(key) ?? { count: 0, lastAlertAt: null, pending: 0 };
    this.groups.delete(key);
    this.groups.set(key, state);
    if (this.groups.size > this.maxGroups) this.groups.delete(this.groups.keys().next().value as string);
    return state;
  }
}

