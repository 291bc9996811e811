// What every store reads off a report for its group: identity of users and visitors,
// the culprit, the upstream of an HTTP client error, how the group was made, the time
// it is filed at. One place, so MemoryStore and MongoStore file a report the same way.
import { createHmac } from 'node:crypto';
import type { IssueSummary } from '../../contracts/issueStore';
import type { GroupingInfo, Report, StackFrame } from '../../report/Report';
import type { SavePolicy } from '../../contracts/store';
import { ANONYMOUS } from '../../report/anonymous';

/** Distinct environments and releases remembered per group. */
export const MAX_TAGS = 50;
/** Distinct users (and, apart, visitors) remembered per group: "users affected" counts up to this. */
export const MAX_USERS = 200;
/** Broken links: user agent samples kept per link. */
export const USER_AGENT_SAMPLES = 5;
/**
 * Report ids remembered per group so a replayed batch is recognised and not counted
 * again, even when the crash came between storing the events and counting them.
 * Replays come from the oldest outbox segment first, so a few batches' worth is plenty.
 */
export const RECENT_IDS_PER_GROUP = 500;
/** Without a policy from delivery, a report may be dated this far ahead of the store's clock. */
export const DEFAULT_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * When a report is filed: its own timestamp, unless that is invalid or later than
 * `now + maxClockSkewMs` (a report dated 2100 would pin `lastSeen` and never expire),
 * then `now`.
 */
export function filedAt(report: Report, policy: Pick<SavePolicy, 'now' | 'maxClockSkewMs'>): Date {
  const at = new Date(report.timestamp).getTime();
  const now = policy.now.getTime();
  return Number.isNaN(at) || at > now + policy.maxClockSkewMs ? new Date(now) : new Date(at);
}

/** A user's identity for "users affected": the id, else a name other than the anonymous one. */
export function userKey(report: Report): string | null {
  const user = report.user;
  if (user?.id) return `id:${String(user.id)}`;
  return user?.username && user.username !== ANONYMOUS.username ? `name:${String(user.username)}` : null;
}

/**
 * An anonymous visitor's identity: a keyed hash (HMAC-SHA256 under the store's own random
 * key) of the client IP of a report without a user, so visitors can be counted without
 * keeping an IP. Null when the report names a user or carries no IP.
 */
export function visitorKey(report: Report, key: Buffer): string | null {
  if (userKey(report)) return null;
  const ip = report.request?.ip;
  if (typeof ip !== 'string' || ip === '') return null;
  // The same client over IPv4 and IPv4-mapped IPv6 is one visitor.
  const bare = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  return createHmac('sha256', key).update(bare).digest('base64url').slice(0, 22);
}

/** "function (file:line)" for the top in-app frame, the line a developer would open. */
export function culprit(frames: StackFrame[]): string | null {
  const frame = frames.find((f) => f.inApp) ?? frames[0];
  if (!frame) return null;
  const where = frame.file ? `${frame.file}${frame.line != null ? `:${frame.line}` : ''}` : 'unknown';
  return `${frame.function ?? '<anonymous>'} (${where})`;
}

/** The upstream of an HTTP client error (method, host, status), for the list's subtitle. */
export function upstreamOf(report: Report): IssueSummary['upstream'] {
  const http = report.error?.http;
  if (!http) return null;
  let host: string | null = null;
  try {
    host = http.url ? new URL(http.url).host || null : null;
  } catch {
    host = null;
  }
  return {
    method: typeof http.method === 'string' ? http.method.slice(0, 16) : null,
    host: host ? host.slice(0, 255) : null,
    status: Number.isInteger(http.status) ? Number(http.status) : null,
  };
}

/** How the report was grouped, as the frames code said, kept small. */
export function groupingOf(report: Report): GroupingInfo | null {
  const grouping = report.grouping;
  if (!grouping || typeof grouping !== 'object' || typeof grouping.rule !== 'string') return null;
  return { rule: grouping.rule, detail: String(grouping.detail ?? '').slice(0, 500) };
}

/** What a new group takes from its first report, besides counts. */
export function firstSeenFacts(report: Report): Record<string, unknown> {
  if (report.kind === 'broken-link') {
    return {
      url: report.brokenLink?.url ?? report.request?.url ?? '',
      referer: report.brokenLink?.referer ?? report.request?.referer ?? '',
      internal: report.brokenLink?.internal ?? false,
      grouping: groupingOf(report),
    };
  }
  return {
    type: report.error?.type ?? 'Error',
    message: report.error?.message ?? report.title,
    culprit: culprit(report.error?.frames ?? []),
    grouping: groupingOf(report),
    upstream: upstreamOf(report),
  };
}
