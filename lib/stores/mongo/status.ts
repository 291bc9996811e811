// The triage lifecycle of a group (issue or broken link), as stored:
//   open ──resolve──▶ resolved ──occurs again──▶ open (regressedAt set: a regression, alerted)
//   open ──ignore───▶ ignored  (stored and counted, never alerted, until set open by hand)
//   open ──snooze───▶ snoozed  (like ignored until `snoozedUntil` passes or `count` reaches
//                               `snoozedUntilCount`; then open again, and alerted on that occurrence)
// Every change is a conditional update, so of several app instances sharing the database
// exactly one sees (and reports) a regression.
import type { mongo } from 'mongoose';
import type { IssueStatus } from '../../ports';
import type { SnoozeOptions } from '../../ports';
import { checkPositiveInteger } from '../../core/options';
import { claimedVerdict, newGroupClaim } from './alertState';
import type { AlertVerdict } from '../../ports';
import { STATUSES, type GroupDoc } from './schemas';

type Groups = mongo.Collection<GroupDoc>;
type SnoozeFields = Pick<GroupDoc, '_id' | 'status' | 'count' | 'snoozedUntil' | 'snoozedUntilCount'>;

const CLEAR_SNOOZE = { snoozedUntil: null, snoozedUntilCount: null };

/**
 * Reopens the resolved groups among `occurrences` (fingerprint → occurrences in this
 * batch); resolves the alert verdict of each group this call reopened.
 */
export async function regress(groups: Groups, occurrences: Map<string, number>, now: Date): Promise<Map<string, AlertVerdict>> {
  const reopened = new Map<string, AlertVerdict>();
  await Promise.all([...occurrences].map(async ([_id, count]) => {
    // It also takes the alert claim, as a new group's insert does: the regression is announced by its reopener.
    const before = await groups.findOneAndUpdate(
      { _id, status: 'resolved' },
      { $set: { status: 'open', regressedAt: now, ...newGroupClaim(now, count) } },
      { returnDocument: 'before', projection: { alert: 1 } },
    );
    if (before) reopened.set(_id, claimedVerdict(before.alert));
  }));
  return reopened;
}

export function snoozeIsOver(doc: SnoozeFields, now: Date): boolean {
  if (doc.status !== 'snoozed') return false;
  if (doc.snoozedUntil && new Date(doc.snoozedUntil).getTime() <= now.getTime()) return true;
  return typeof doc.snoozedUntilCount === 'number' && doc.count >= doc.snoozedUntilCount;
}

/**
 * Opens the snoozed groups whose snooze is over, taking the alert claim as a regression
 * does (the occurrence that ends a snooze is announced, whatever the window); resolves
 * the alert verdict of each group this call opened. `occurrences`: fingerprint → occurrences in this batch.
 */
export async function wake(groups: Groups, docs: SnoozeFields[], occurrences: Map<string, number>, now: Date): Promise<Map<string, AlertVerdict>> {
  const woken = new Map<string, AlertVerdict>();
  await Promise.all(docs.filter((doc) => snoozeIsOver(doc, now)).map(async (doc) => {
    const before = await groups.findOneAndUpdate(
      { _id: doc._id, status: 'snoozed', snoozedUntil: doc.snoozedUntil ?? null, snoozedUntilCount: doc.snoozedUntilCount ?? null },
      { $set: { status: 'open', ...CLEAR_SNOOZE, ...newGroupClaim(now, occurrences.get(doc._id) ?? 1) } },
      { returnDocument: 'before', projection: { alert: 1 } },
    );
    if (before) woken.set(doc._id, claimedVerdict(before.alert));
  }));
  return woken;
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
