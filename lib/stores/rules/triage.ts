// The triage lifecycle of a group (issue or broken link), the same in every store:
//   open ──resolve──▶ resolved ──occurs again──▶ open (regressedAt set: a regression, alerted)
//                       │ an occurrence from an old release (./releaseOrder.ts) is counted, marked, and stays resolved
//   open ──ignore───▶ ignored  (stored and counted, never alerted, until set open by hand)
//   open ──snooze───▶ snoozed  (like ignored until `snoozedUntil` passes or `count` reaches
//                               `snoozedUntilCount`; then open again, and alerted on that occurrence)
// Undoing a bulk action is setting the previous status again (a snooze with what is left of it).
import type { ActivityAction, ActivityEntry, SnoozeOptions, StatusChange } from '../../contracts/issueStore';
import type { IssueStatus } from '../../contracts/store';
import type { SnoozeEnd } from '../../report/Report';
import { checkPositiveInteger } from '../../core/options';

export const STATUSES: readonly IssueStatus[] = ['open', 'resolved', 'ignored', 'snoozed'];
/** Activity entries kept per group, the newest. */
export const ACTIVITY_PER_ISSUE = 50;
const MAX_ACTIVITY_TEXT = 200;

export interface SnoozeState {
  status?: IssueStatus;
  count?: number;
  snoozedUntil?: Date | null;
  snoozedUntilCount?: number | null;
  snoozedAt?: Date | null;
  /** The `untilCount` the snooze was given (occurrences from then on). */
  snoozeFor?: number | null;
}

export const CLEAR_SNOOZE = { snoozedUntil: null, snoozedUntilCount: null, snoozedAt: null, snoozeFor: null };

export function snoozeIsOver(doc: SnoozeState, now: Date): boolean {
  if (doc.status !== 'snoozed') return false;
  if (doc.snoozedUntil && new Date(doc.snoozedUntil).getTime() <= now.getTime()) return true;
  return typeof doc.snoozedUntilCount === 'number' && (doc.count ?? 0) >= doc.snoozedUntilCount;
}

/** Why a snooze that is over ended: its time, else its count. */
export function snoozeEnd(doc: SnoozeState, now: Date): SnoozeEnd {
  if (doc.snoozedUntil && new Date(doc.snoozedUntil).getTime() <= now.getTime()) {
    const from = doc.snoozedAt ? new Date(doc.snoozedAt).getTime() : now.getTime();
    return { after: 'time', ms: Math.max(0, new Date(doc.snoozedUntil).getTime() - from) };
  }
  return { after: 'count', occurrences: doc.snoozeFor ?? Math.max(0, (doc.snoozedUntilCount ?? 0) - (doc.count ?? 0)) };
}

export function describeSnoozeEnd(end: SnoozeEnd): string {
  if (end.after === 'count') return `after ${end.occurrences} more occurrence${end.occurrences === 1 ? '' : 's'}`;
  const hours = end.ms / 3_600_000;
  return hours >= 1 && Number.isInteger(hours) ? `after ${hours} hour${hours === 1 ? '' : 's'}` : `after ${Math.round(end.ms / 60_000)} min`;
}

/** What a group knows when its status is set by hand. */
export interface TriageContext {
  count: number;
  releases: string[];
  /** The release of the newest occurrence, when known. */
  lastRelease: string | null;
}

/**
 * The fields a status chosen by hand sets, and the activity entry that records it.
 * Throws RangeError / TypeError for what the IssueStore port says is refused.
 */
export function statusChange(
  status: IssueStatus, snooze: SnoozeOptions | undefined, change: StatusChange | undefined, group: TriageContext, now: Date,
): { fields: Record<string, unknown>; entry: ActivityEntry } {
  if (!STATUSES.includes(status)) throw new RangeError(`setStatus: \`status\` must be one of ${STATUSES.join(', ')}`);
  const who = { actor: text(change?.actor), via: text(change?.via) };
  const resolveFields = { resolvedIn: null, releasesAtResolve: [] as string[] };
  if (status !== 'snoozed') {
    if (snooze?.until !== undefined || snooze?.untilCount !== undefined) throw new TypeError('setStatus: `until` and `untilCount` go with status `snoozed` only');
    if (status === 'resolved') {
      const resolvedIn = text(change?.release) ?? group.lastRelease ?? group.releases.at(-1) ?? null;
      Object.assign(resolveFields, { resolvedIn, releasesAtResolve: [...group.releases] });
    }
    const fields = { status, ...CLEAR_SNOOZE, ...resolveFields, ...(status === 'resolved' ? { resolvedAt: now } : {}) };
    const action: ActivityAction = status === 'open' ? 'reopened' : status;
    return { fields, entry: { at: now, action, ...who, detail: status === 'resolved' ? resolveFields.resolvedIn : null } };
  }
  const { until, untilCount } = snooze ?? {};
  if (until === undefined && untilCount === undefined) throw new TypeError('setStatus: a snooze needs `until` (a Date) or `untilCount` (more occurrences)');
  if (until !== undefined && (!(until instanceof Date) || Number.isNaN(until.getTime()))) throw new TypeError('setStatus: `until` must be a valid Date');
  if (untilCount !== undefined) checkPositiveInteger('setStatus', 'untilCount', untilCount);
  const fields = {
    status, ...resolveFields, snoozedUntil: until ?? null, snoozedUntilCount: untilCount === undefined ? null : group.count + untilCount,
    snoozedAt: now, snoozeFor: untilCount ?? null,
  };
  const detail = [until ? `until ${until.toISOString()}` : null, untilCount ? `${untilCount} more occurrence${untilCount === 1 ? '' : 's'}` : null]
    .filter(Boolean).join(' or ');
  return { fields, entry: { at: now, action: 'snoozed', ...who, detail } };
}

/** An entry the store records itself (no person did it). */
export function storeEntry(action: ActivityAction, at: Date, detail: string | null = null): ActivityEntry {
  return { at, action, actor: null, via: null, detail: text(detail) };
}

/** The `limit` option of activity(): 1 to ACTIVITY_PER_ISSUE, default 50. */
export function activityLimit(limit: unknown): number {
  const n = Math.floor(Number(limit ?? ACTIVITY_PER_ISSUE));
  return Number.isFinite(n) ? Math.min(ACTIVITY_PER_ISSUE, Math.max(1, n)) : ACTIVITY_PER_ISSUE;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value.slice(0, MAX_ACTIVITY_TEXT) : null;
}
