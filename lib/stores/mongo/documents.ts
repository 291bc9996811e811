// How one batch's reports become documents and upserts, kept apart from the I/O.
import type { Report, ReportKind, StackFrame } from '../../report/Report';
import { occurrencesOf, totalOccurrences } from '../../report/occurrences';
import { ANONYMOUS } from '../../report/options';
import { escapeKeys } from './escapeKeys';
import { newGroupClaim } from './alertState';
import type { EventDoc, GroupDoc } from './schemas';

/**
 * Report ids remembered per group so a replayed batch is recognised and not counted
 * again, even when the crash came between storing the events and counting them.
 * Replays come from the oldest outbox segment first, so a few batches' worth is plenty.
 */
export const RECENT_IDS_PER_GROUP = 500;
export const USER_AGENT_SAMPLES = 5;
/** Distinct environments and releases remembered per group. */
export const MAX_TAGS = 50;
/** Distinct users remembered per group: "users affected" counts up to this. */
export const MAX_USERS = 200;

/** What countGroups reads of a group before writing it. */
export type ExistingGroup = Pick<GroupDoc, '_id' | 'status' | 'recentIds' | 'environments' | 'releases' | 'userIds'> & { userAgents?: string[] };

export function eventDoc(report: Report): EventDoc {
  return {
    _id: String(report.id),
    fingerprint: String(report.fingerprint),
    kind: report.kind,
    timestamp: timestampOf(report),
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

/** The upsert counting `fresh` (reports of one group, in batch order, counted for the first time). */
export function groupUpdate(kind: ReportKind, fresh: Report[], existing: ExistingGroup | undefined, now: Date): Record<string, unknown> {
  const first = fresh[0];
  const last = fresh[fresh.length - 1];
  const insert: Record<string, unknown> = {
    title: first.title, firstSeen: earliest(fresh), status: 'open', ...newGroupClaim(now), ...firstSeenFields(kind, first),
  };
  const set: Record<string, unknown> = { lastEventId: String(last.id) };
  const addToSet: Record<string, unknown> = {};
  addNew(addToSet, 'environments', existing?.environments, fresh.map((r) => r.environment), MAX_TAGS);
  addNew(addToSet, 'releases', existing?.releases, fresh.map((r) => r.release), MAX_TAGS);
  addNew(addToSet, 'userIds', existing?.userIds, fresh.map(userKey), MAX_USERS);
  if (kind === 'broken-link') {
    const samples = userAgentSamples(existing?.userAgents ?? [], fresh);
    if (samples) set.userAgents = samples;
  }
  return {
    $setOnInsert: insert,
    $set: set,
    $max: { lastSeen: latest(fresh) },
    $inc: { count: totalOccurrences(fresh) },
    $push: { recentIds: { $each: fresh.map((r) => String(r.id)), $slice: -RECENT_IDS_PER_GROUP } },
    ...(Object.keys(addToSet).length ? { $addToSet: addToSet } : {}),
  };
}

function firstSeenFields(kind: ReportKind, first: Report): Record<string, unknown> {
  if (kind === 'broken-link') {
    return {
      url: first.brokenLink?.url ?? first.request?.url ?? '',
      referer: first.brokenLink?.referer ?? first.request?.referer ?? '',
      internal: first.brokenLink?.internal ?? false,
    };
  }
  return {
    type: first.error?.type ?? 'Error',
    message: first.error?.message ?? first.title,
    culprit: culprit(first.error?.frames ?? []),
  };
}

/** Adds the values not yet remembered, while the list has room (a race may overshoot by one batch). */
function addNew(addToSet: Record<string, unknown>, field: string, current: string[] | undefined, values: Array<string | null>, max: number): void {
  const known = new Set(current ?? []);
  if (known.size >= max) return;
  const fresh = [...new Set(values.filter((v): v is string => typeof v === 'string' && v !== '' && !known.has(v)))];
  if (fresh.length) addToSet[field] = { $each: fresh.slice(0, max - known.size) };
}

/** A user's identity for "users affected": the id, else a name other than the anonymous one. */
export function userKey(report: Report): string | null {
  const user = report.user;
  if (user?.id) return `id:${String(user.id)}`;
  return user?.username && user.username !== ANONYMOUS.username ? `name:${String(user.username)}` : null;
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

/** "function (file:line)" for the top in-app frame, the line a developer would open. */
export function culprit(frames: StackFrame[]): string | null {
  const frame = frames.find((f) => f.inApp) ?? frames[0];
  if (!frame) return null;
  const where = frame.file ? `${frame.file}${frame.line != null ? `:${frame.line}` : ''}` : 'unknown';
  return `${frame.function ?? '<anonymous>'} (${where})`;
}

export function timestampOf(report: Report): Date {
  const date = new Date(report.timestamp);
  return Number.isNaN(date.getTime()) ? new Date() : date;
}

function earliest(reports: Report[]): Date {
  return new Date(reports.reduce((min, r) => Math.min(min, timestampOf(r).getTime()), Infinity));
}

function latest(reports: Report[]): Date {
  return new Date(reports.reduce((max, r) => Math.max(max, timestampOf(r).getTime()), -Infinity));
}
