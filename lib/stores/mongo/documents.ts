// How one batch's reports become documents and upserts, kept apart from the I/O.
import type { ActivityEntry } from '../../contracts/issueStore';
import type { Report, ReportKind } from '../../report/Report';
import { occurrencesOf } from '../../report/occurrences';
import {
  firstSeenFacts, MAX_TAGS, MAX_USERS, RECENT_IDS_PER_GROUP, USER_AGENT_SAMPLES, userKey, visitorKey,
} from '../rules/groupFacts';
import { newestRelease, type Filed } from '../rules/occurrencePlan';
import { ACTIVITY_PER_ISSUE, storeEntry } from '../rules/triage';
import { breakdownIncrements, BREAKDOWN_SLOTS, dayNumber, DIMENSIONS } from '../rules/breakdownCounts';
import { escapeKey, escapeKeys } from './escapeKeys';
import { newGroupClaim } from './alertState';
import type { EventDoc, GroupDoc } from './schemas';

/** What countGroups reads of a group before writing it. */
export type ExistingGroup = Pick<GroupDoc,
  '_id' | 'status' | 'recentIds' | 'environments' | 'releases' | 'userIds' | 'visitorKeys' | 'resolvedIn' | 'releasesAtResolve' | 'oldReleaseSeen' | 'bd'
> & { userAgents?: string[] };

export const EXISTING_PROJECTION = {
  recentIds: 1, status: 1, userAgents: 1, environments: 1, releases: 1, userIds: 1, visitorKeys: 1, resolvedIn: 1, releasesAtResolve: 1, oldReleaseSeen: 1,
};

/** The projection of the breakdown slots a batch filed at `dates` touches. */
export function slotProjection(dates: Date[]): Record<string, 1> {
  return Object.fromEntries([...new Set(dates.map((d) => dayNumber(d) % BREAKDOWN_SLOTS))].map((slot) => [`bd.${slot}`, 1]));
}

export function eventDoc(report: Report, at: Date): EventDoc {
  return {
    _id: String(report.id),
    fingerprint: String(report.fingerprint),
    kind: report.kind,
    timestamp: at,
    title: report.title,
    status: report.status,
    error: escapeKeys(report.error),
    request: escapeKeys(report.request),
    user: escapeKeys(report.user),
    environment: report.environment,
    release: report.release,
    host: report.host,
    pid: report.pid,
    occurrences: occurrencesOf(report),
  };
}

export interface GroupExtras {
  visitorKey: Buffer;
  /** Activity entries for this save (old release seen, new releases). */
  entries: ActivityEntry[];
  /** Every occurrence was from an old release: marked, the group stays resolved. */
  oldRelease: { release: string; at: Date } | null;
}

/** The upsert counting `fresh` (reports of one group, in batch order, counted for the first time). */
export function groupUpdate(kind: ReportKind, fresh: Filed[], existing: ExistingGroup | undefined, now: Date, extras: GroupExtras): Record<string, unknown> {
  const first = fresh[0];
  const last = fresh.reduce((a, b) => (b.at >= a.at ? b : a));
  const occurrences = fresh.reduce((sum, f) => sum + f.occurrences, 0);
  const reports = fresh.map((f) => f.report);
  const insert: Record<string, unknown> = {
    title: first.report.title, firstSeen: earliest(fresh), status: 'open', ...newGroupClaim(now, occurrences), ...firstSeenFacts(first.report),
  };
  const set: Record<string, unknown> = { lastEventId: String(last.report.id) };
  const release = newestRelease(fresh);
  if (release) set.lastRelease = release;
  if (extras.oldRelease) Object.assign(set, { oldReleaseSeen: extras.oldRelease.release, oldReleaseSeenAt: extras.oldRelease.at });
  const addToSet: Record<string, unknown> = {};
  addNew(addToSet, 'environments', existing?.environments, reports.map((r) => r.environment), MAX_TAGS);
  addNew(addToSet, 'releases', existing?.releases, reports.map((r) => r.release), MAX_TAGS);
  addNew(addToSet, 'userIds', existing?.userIds, reports.map(userKey), MAX_USERS);
  addNew(addToSet, 'visitorKeys', existing?.visitorKeys, reports.map((r) => visitorKey(r, extras.visitorKey)), MAX_USERS);
  if (kind === 'broken-link') {
    const samples = userAgentSamples(existing?.userAgents ?? [], reports);
    if (samples) set.userAgents = samples;
  }
  const entries = existing ? extras.entries : [storeEntry('created', now), ...extras.entries];
  return {
    $setOnInsert: insert,
    $set: set,
    $max: { lastSeen: last.at },
    $inc: { count: occurrences },
    $push: {
      recentIds: { $each: reports.map((r) => String(r.id)), $slice: -RECENT_IDS_PER_GROUP },
      ...(entries.length ? { activity: { $each: entries, $slice: -ACTIVITY_PER_ISSUE } } : {}),
    },
    ...(Object.keys(addToSet).length ? { $addToSet: addToSet } : {}),
  };
}

/**
 * The breakdown counters of one group's fresh reports, as ordered updates: a slot that
 * holds another day is reset first (conditionally, so of two instances only one resets
 * it), then incremented where it holds this day.
 */
export function breakdownUpdates(_id: string, fresh: Filed[], existing: ExistingGroup | undefined, now: Date): object[] {
  const operations: object[] = [];
  const planned = breakdownIncrements(fresh, now, (slot) => existing?.bd?.[slot], escapeKey);
  for (const [slot, plan] of planned) {
    const path = `bd.${slot}`;
    if (plan.fresh) operations.push({ updateOne: { filter: { _id, [`${path}.day`]: { $ne: plan.day } }, update: { $set: { [path]: { day: plan.day, total: 0 } } } } });
    const inc: Record<string, number> = { [`${path}.total`]: plan.total };
    for (const dimension of DIMENSIONS) for (const [key, n] of Object.entries(plan[dimension])) inc[`${path}.${dimension}.${key}`] = n;
    operations.push({ updateOne: { filter: { _id, [`${path}.day`]: plan.day }, update: { $inc: inc } } });
  }
  return operations;
}

/** Adds the values not yet remembered, while the list has room (a race may overshoot by one batch). */
function addNew(addToSet: Record<string, unknown>, field: string, current: string[] | undefined, values: Array<string | null>, max: number): void {
  const known = new Set(current ?? []);
  if (known.size >= max) return;
  const fresh = [...new Set(values.filter((v): v is string => typeof v === 'string' && v !== '' && !known.has(v)))];
  if (fresh.length) addToSet[field] = { $each: fresh.slice(0, max - known.size) };
}

/** The new sample list, or null when it is already full or unchanged. */
function userAgentSamples(current: string[], fresh: Report[]): string[] | null {
  if (current.length >= USER_AGENT_SAMPLES) return null;
  const samples = [...current];
  for (const report of fresh) {
    const agent = report.request?.userAgent;
    if (agent && !samples.includes(agent)) samples.push(String(agent));
    if (samples.length >= USER_AGENT_SAMPLES) break;
  }
  return samples.length > current.length ? samples : null;
}

function earliest(fresh: Filed[]): Date {
  return new Date(fresh.reduce((min, f) => Math.min(min, f.at.getTime()), Infinity));
}
