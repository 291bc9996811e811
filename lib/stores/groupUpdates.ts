// How one batch's reports become documents and upserts, kept apart from the I/O in MongoStore.
import type { Report, StackFrame } from '../report/Report';
import { occurrencesOf, totalOccurrences } from '../report/occurrences';
import { escapeKeys } from './escapeKeys';
import type { BrokenLinkDoc, EventDoc } from './mongoSchemas';

/**
 * Report ids remembered per group so a replayed batch is recognised and not counted
 * again, even when the crash came between storing the events and counting them.
 * Replays come from the oldest outbox segment first, so a few batches' worth is plenty.
 */
export const RECENT_IDS_PER_GROUP = 500;
export const USER_AGENT_SAMPLES = 5;

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

/** Reports of one group, in batch order, that are counted for the first time. */
export interface FreshGroup {
  fingerprint: string;
  fresh: Report[];
}

export function issueUpdate({ fresh }: FreshGroup, now: Date): Record<string, unknown> {
  const first = fresh[0];
  const last = fresh[fresh.length - 1];
  return {
    $setOnInsert: {
      title: first.title,
      type: first.error?.type ?? 'Error',
      message: first.error?.message ?? first.title,
      culprit: culprit(first.error?.frames ?? []),
      firstSeen: earliest(fresh),
      status: 'open',
      // The instance that creates the issue announces it; the claim is taken here,
      // atomically with the insert, so no other instance announces it as a window alert.
      'alert.lastAt': now,
      'alert.pending': 0,
    },
    ...counting(fresh, last),
  };
}

export function brokenLinkUpdate({ fresh }: FreshGroup, existing: Pick<BrokenLinkDoc, 'userAgents'> | undefined, now: Date): Record<string, unknown> {
  const first = fresh[0];
  const last = fresh[fresh.length - 1];
  const update: Record<string, unknown> = {
    $setOnInsert: {
      url: first.brokenLink?.url ?? first.request?.url ?? '',
      referer: first.brokenLink?.referer ?? first.request?.referer ?? '',
      internal: first.brokenLink?.internal ?? false,
      firstSeen: earliest(fresh),
      'alert.lastAt': now,
      'alert.pending': 0,
    },
    ...counting(fresh, last),
  };
  const samples = userAgentSamples(existing?.userAgents ?? [], fresh);
  if (samples) (update.$set as Record<string, unknown>).userAgents = samples;
  return update;
}

function counting(fresh: Report[], last: Report): Record<string, unknown> {
  return {
    $max: { lastSeen: latest(fresh) },
    $inc: { count: totalOccurrences(fresh) },
    $set: { lastEventId: String(last.id) },
    $push: { recentIds: { $each: fresh.map((r) => String(r.id)), $slice: -RECENT_IDS_PER_GROUP } },
  };
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
