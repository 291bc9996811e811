// The triage lifecycle of a group (issue or broken link), as stored:
//   open ──resolve──▶ resolved ──occurs again──▶ open (regressedAt set: a regression, alerted)
//   open ──ignore───▶ ignored  (stored and counted, never alerted, until set open by hand)
//   open ──snooze───▶ snoozed  (like ignored until `snoozedUntil` passes or `count` reaches
//                               `snoozedUntilCount`; then open again, and alerted on that occurrence)
// Every change is a conditional update, so of several app instances sharing the database
// exactly one sees (and reports) a regression.
import type { mongo } from 'mongoose';
import type { IssueStatus } from '../../delivery/ports';
import type { SnoozeOptions } from '../../dashboard/IssueStore';
import { checkPositiveInteger } from '../../core/options';
import { reopenClaim } from './alertState';
import { STATUSES, type GroupDoc } from './schemas';

type Groups = mongo.Collection<GroupDoc>;
type SnoozeFields = Pick<GroupDoc, '_id' | 'status' | 'count' | 'snoozedUntil' | 'snoozedUntilCount'>;

const CLEAR_SNOOZE = { snoozedUntil: null, snoozedUntilCount: null };

/** Reopens the resolved groups among `fingerprints`; resolves those this call reopened. */
export async function regress(groups: Groups, fingerprints: string[], now: Date): Promise<Set<string>> {
  const reopened = new Set<string>();
  await Promise.all(fingerprints.map(async (_id) => {
    // It also takes the alert claim, as a new group's insert does: the regression is announced by its reopener.
    const result = await groups.updateOne({ _id, status: 'resolved' }, { $set: { status: 'open', regressedAt: now, ...reopenClaim(now) } });
    if (result.modifiedCount === 1) reopened.add(_id);
  }));
  return reopened;
}

export function snoozeIsOver(doc: SnoozeFields, now: Date): boolean {
  if (doc.status !== 'snoozed') return false;
  if (doc.snoozedUntil && new Date(doc.snoozedUntil).getTime() <= now.getTime()) return true;
  return typeof doc.snoozedUntilCount === 'number' && doc.count >= doc.snoozedUntilCount;
}

/**
 * Opens the snoozed groups whose snooze is over; resolves those this call opened. The
 * window decides their alert as for any open group (it has had no alert while snoozed).
 */
export async function wake(groups: Groups, docs: SnoozeFields[], now: Date): Promise<Set<string>> {
  const woken = new Set<string>();
  await Promise.all(docs.filter((doc) => snoozeIsOver(doc, now)).map(async (doc) => {
    const result = await groups.updateOne(
      { _id: doc._id, status: 'snoozed', snoozedUntil: doc.snoozedUntil ?? null, snoozedUntilCount: doc.snoozedUntilCount ?? null },
      { $set: { status: 'open', ...CLEAR_SNOOZE } },
    );
    if (result.modifiedCount === 1) woken.add(doc._id);
  }));
  return woken;
}

/** Opens every group whose snooze time has passed, so listings filter on the true status. */
export async function wakeExpired(groups: Groups, now: Date, only?: { _id: string }): Promise<void> {
  await groups.updateMany({ ...only, status: 'snoozed', snoozedUntil: { $lte: now } }, { $set: { status: 'open', ...CLEAR_SNOOZE } });
}

/** The $set for a status chosen by hand; `count` is the group's current total (a count snooze counts from it). */
export function statusChange(status: IssueStatus, snooze: SnoozeOptions | undefined, count: number, now: Date): Record<string, unknown> {
  if (!STATUSES.includes(status)) throw new RangeError(`setStatus: \`status\` must be one of ${STATUSES.join(', ')}`);
  if (status !== 'snoozed') {
    if (snooze?.until !== undefined || snooze?.untilCount !== undefined) throw new TypeError('setStatus: `until` and `untilCount` go with status `snoozed` only');
    return { status, ...CLEAR_SNOOZE, ...(status === 'resolved' ? { resolvedAt: now } : {}) };
  }
  const { until, untilCount } = snooze ?? {};
  if (until === undefined && untilCount === undefined) throw new TypeError('setStatus: a snooze needs `until` (a Date) or `untilCount` (more occurrences)');
  if (until !== undefined && (!(until instanceof Date) || Number.isNaN(until.getTime()))) throw new TypeError('setStatus: `until` must be a valid Date');
  if (untilCount !== undefined) checkPositiveInteger('setStatus', 'untilCount', untilCount);
  return { status, snoozedUntil: until ?? null, snoozedUntilCount: untilCount === undefined ? null : count + untilCount };
}
