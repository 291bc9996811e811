// The triage lifecycle as stored (../rules/triage.ts draws it). Every change a save makes
// is a conditional update, so of several app instances sharing the database exactly one
// sees (and reports) a regression or the end of a snooze.
import type { mongo } from 'mongoose';
import type { AlertVerdict } from '../../contracts/store';
import type { SnoozeEnd } from '../../report/Report';
import { ACTIVITY_PER_ISSUE, CLEAR_SNOOZE, describeSnoozeEnd, snoozeEnd, snoozeIsOver, storeEntry } from '../rules/triage';
import { claimedVerdict, newGroupClaim } from './alertState';
import type { GroupDoc } from './schemas';

type Groups = mongo.Collection<GroupDoc>;
type SnoozeFields = Pick<GroupDoc, '_id' | 'status' | 'count' | 'snoozedUntil' | 'snoozedUntilCount' | 'snoozedAt' | 'snoozeFor'>;

export const SNOOZE_PROJECTION = { count: 1, status: 1, snoozedUntil: 1, snoozedUntilCount: 1, snoozedAt: 1, snoozeFor: 1 };

/**
 * Reopens the resolved groups among `occurrences` (fingerprint → occurrences in this
 * batch and the release they came in); resolves the alert verdict of each group this call reopened.
 */
export async function regress(groups: Groups, occurrences: Map<string, { count: number; release: string | null }>, now: Date): Promise<Map<string, AlertVerdict>> {
  const reopened = new Map<string, AlertVerdict>();
  await Promise.all([...occurrences].map(async ([_id, { count, release }]) => {
    // It also takes the alert claim, as a new group's insert does: the regression is announced by its reopener.
    const before = await groups.findOneAndUpdate(
      { _id, status: 'resolved' },
      {
        $set: { status: 'open', regressedAt: now, resolvedIn: null, releasesAtResolve: [], ...newGroupClaim(now, count) },
        $push: { activity: { $each: [storeEntry('regressed', now, release)], $slice: -ACTIVITY_PER_ISSUE } },
      },
      { returnDocument: 'before', projection: { alert: 1 } },
    );
    if (before) reopened.set(_id, claimedVerdict(before.alert));
  }));
  return reopened;
}

/**
 * Opens the snoozed groups whose snooze is over, taking the alert claim as a regression
 * does (the occurrence that ends a snooze is announced, whatever the window); resolves
 * the alert verdict and why the snooze ended, for each group this call opened.
 * `occurrences`: fingerprint → occurrences in this batch.
 */
export async function wake(
  groups: Groups, docs: SnoozeFields[], occurrences: Map<string, number>, now: Date,
): Promise<Map<string, { alert: AlertVerdict; end: SnoozeEnd }>> {
  const woken = new Map<string, { alert: AlertVerdict; end: SnoozeEnd }>();
  await Promise.all(docs.filter((doc) => snoozeIsOver(doc, now)).map(async (doc) => {
    const end = snoozeEnd(doc, now);
    const before = await groups.findOneAndUpdate(
      { _id: doc._id, status: 'snoozed', snoozedUntil: doc.snoozedUntil ?? null, snoozedUntilCount: doc.snoozedUntilCount ?? null },
      {
        $set: { status: 'open', ...CLEAR_SNOOZE, ...newGroupClaim(now, occurrences.get(doc._id) ?? 1) },
        $push: { activity: { $each: [storeEntry('snooze-ended', now, describeSnoozeEnd(end))], $slice: -ACTIVITY_PER_ISSUE } },
      },
      { returnDocument: 'before', projection: { alert: 1 } },
    );
    if (before) woken.set(doc._id, { alert: claimedVerdict(before.alert), end });
  }));
  return woken;
}
