// The read side for apps and the dashboard (the IssueStore port). Every value from a
// query is coerced to a string or a number before it reaches a filter, and free text
// becomes an escaped regular expression: nothing from a request acts as an operator.
import type { mongo } from 'mongoose';
import type {
  EventPage, HistogramBucket, IssuePage, IssueQuery, IssueSort, IssueSummary, StoredEventView,
} from '../../dashboard/IssueStore';
import type { ReportKind } from '../../report/Report';
import { unescapeKeys } from './escapeKeys';
import { wakeExpired } from './status';
import { STATUSES, type BrokenLinkDoc, type EventDoc, type GroupDoc, type IssueDoc } from './schemas';

export const MAX_PER_PAGE = 500;
const DEFAULT_PER_PAGE = 50;
/** Both kinds listed together are merged from the top of each: pages stop this deep. */
export const MAX_MERGED_OFFSET = 10_000;
const MAX_QUERY_LENGTH = 200;
const FOUND_BY_REQUEST_ID = 50;
const SORTS: readonly IssueSort[] = ['lastSeen', 'firstSeen', 'count'];
const KINDS: readonly ReportKind[] = ['error', 'broken-link'];
const TEXT_FIELDS: Record<ReportKind, string[]> = { error: ['title', 'type', 'message', 'culprit'], 'broken-link': ['title', 'url', 'referer'] };
const HIDDEN = { recentIds: 0, alert: 0 };
const BUCKETS = { hour: { ms: 3_600_000, count: 24 }, day: { ms: 86_400_000, count: 14 } } as const;

export interface QueryCollections {
  events: mongo.Collection<EventDoc>;
  groups: Record<ReportKind, mongo.Collection<GroupDoc>>;
}

/** A page of issues and/or broken links, without a total count: `hasMore` comes from fetching one more. */
export async function listIssues(collections: QueryCollections, query: IssueQuery, now: Date): Promise<IssuePage> {
  const { status = 'open', kind, sort = 'lastSeen' } = query;
  if (status !== 'all' && !STATUSES.includes(status)) throw new RangeError(`listIssues: \`status\` must be 'all' or one of ${STATUSES.join(', ')}`);
  if (kind !== undefined && !KINDS.includes(kind)) throw new RangeError(`listIssues: \`kind\` must be one of ${KINDS.join(', ')}`);
  if (!SORTS.includes(sort)) throw new RangeError(`listIssues: \`sort\` must be one of ${SORTS.join(', ')}`);
  const perPage = clampInteger(query.perPage, DEFAULT_PER_PAGE, 1, MAX_PER_PAGE);
  const kinds = kind ? [kind] : KINDS;
  const page = clampInteger(query.page, 1, 1, kinds.length > 1 ? Math.floor(MAX_MERGED_OFFSET / perPage) : Number.MAX_SAFE_INTEGER);
  const order = { [sort]: -1, _id: 1 } as const;
  const offset = (page - 1) * perPage;
  const lists = await Promise.all(kinds.map(async (k) => {
    const groups = collections.groups[k];
    await wakeExpired(groups, now);
    // One kind pages on the server; two kinds are merged here from the top of each list.
    const cursor = groups.find(groupFilter(k, status, query), { projection: HIDDEN }).sort(order);
    const docs = await (kinds.length > 1 ? cursor.limit(offset + perPage + 1) : cursor.skip(offset).limit(perPage + 1)).toArray();
    return docs.map((doc) => summaryOf(k, doc));
  }));
  let issues = lists.length > 1 ? lists.flat().sort(bySortKey(sort)).slice(offset) : lists[0];
  const hasMore = issues.length > perPage;
  issues = issues.slice(0, perPage);
  return { issues, page, perPage, hasMore };
}

export async function getIssue(collections: QueryCollections, kind: ReportKind, fingerprint: string, now: Date): Promise<IssueSummary | null> {
  const groups = collections.groups[kindOf(kind)];
  const _id = String(fingerprint);
  await wakeExpired(groups, now, { _id });
  const doc = await groups.findOne({ _id }, { projection: HIDDEN });
  return doc ? summaryOf(kindOf(kind), doc) : null;
}

export async function listEvents(collections: QueryCollections, fingerprint: string, options: { page?: number; perPage?: number }): Promise<EventPage> {
  const perPage = clampInteger(options.perPage, 20, 1, MAX_PER_PAGE);
  const page = clampInteger(options.page, 1, 1, Number.MAX_SAFE_INTEGER);
  const docs = await collections.events.find({ fingerprint: String(fingerprint) })
    .sort({ timestamp: -1, _id: -1 }).skip((page - 1) * perPage).limit(perPage + 1).toArray();
  return { events: docs.slice(0, perPage).map(eventView), page, perPage, hasMore: docs.length > perPage };
}

export async function getEvent(collections: QueryCollections, id: string): Promise<StoredEventView | null> {
  const doc = await collections.events.findOne({ _id: String(id) });
  return doc ? eventView(doc) : null;
}

/** Events carrying a request id (as the app answered it in X-Request-Id), newest first. */
export async function findEvents(collections: QueryCollections, query: { requestId: string }): Promise<StoredEventView[]> {
  const requestId = String(query?.requestId ?? '');
  if (requestId === '') return [];
  const docs = await collections.events.find({ 'request.requestId': requestId }).sort({ timestamp: -1 }).limit(FOUND_BY_REQUEST_ID).toArray();
  return docs.map(eventView);
}

/**
 * Occurrences per UTC hour (the last 24) or day (the last 14), oldest first, the current
 * one last; a folded event counts its `occurrences`. Summed by the server, so a storm
 * costs one small answer, not one document per event.
 */
export async function histogram(collections: QueryCollections, fingerprint: string, by: 'hour' | 'day', now: Date): Promise<HistogramBucket[]> {
  const bucket = BUCKETS[by];
  if (!bucket) throw new RangeError("histogram: `by` must be 'hour' or 'day'");
  const start = Math.floor(now.getTime() / bucket.ms) * bucket.ms - (bucket.count - 1) * bucket.ms;
  const sinceEpoch = { $subtract: ['$timestamp', new Date(0)] };
  const sums = await collections.events.aggregate<{ _id: number; count: number }>([
    { $match: { fingerprint: String(fingerprint), timestamp: { $gte: new Date(start) } } },
    { $group: { _id: { $subtract: [sinceEpoch, { $mod: [sinceEpoch, bucket.ms] }] }, count: { $sum: { $ifNull: ['$occurrences', 1] } } } },
  ]).toArray();
  const counts = new Map(sums.map((s) => [Number(s._id), s.count]));
  return Array.from({ length: bucket.count }, (_, i) => {
    const at = start + i * bucket.ms;
    return { start: new Date(at), count: counts.get(at) ?? 0 };
  });
}

function groupFilter(kind: ReportKind, status: IssueQuery['status'], query: IssueQuery): Record<string, unknown> {
  // 'all' as $in over every status, so the { status, <sort key> } indexes still serve the sort.
  const filter: Record<string, unknown> = { status: status === 'all' ? { $in: STATUSES } : String(status) };
  if (query.environment !== undefined && query.environment !== '') filter.environments = String(query.environment);
  if (query.release !== undefined && query.release !== '') filter.releases = String(query.release);
  const q = typeof query.q === 'string' ? query.q.trim().slice(0, MAX_QUERY_LENGTH) : '';
  if (q) {
    const pattern = { $regex: escapeRegExp(q), $options: 'i' };
    filter.$or = TEXT_FIELDS[kind].map((field) => ({ [field]: pattern }));
  }
  return filter;
}

function summaryOf(kind: ReportKind, doc: GroupDoc): IssueSummary {
  const issue = doc as Partial<IssueDoc>;
  const link = doc as Partial<BrokenLinkDoc>;
  return {
    kind,
    fingerprint: doc._id,
    title: doc.title ?? (link.url ? `Broken link: ${link.url}` : ''),
    type: issue.type ?? null,
    message: issue.message ?? null,
    culprit: issue.culprit ?? null,
    ...(kind === 'broken-link' ? { url: link.url ?? '', referer: link.referer ?? '', internal: !!link.internal, userAgents: link.userAgents ?? [] } : {}),
    count: doc.count ?? 0,
    users: doc.userIds?.length ?? 0,
    firstSeen: doc.firstSeen,
    lastSeen: doc.lastSeen,
    status: doc.status ?? 'open',
    snoozedUntil: doc.snoozedUntil ?? null,
    snoozedUntilCount: doc.snoozedUntilCount ?? null,
    regressedAt: doc.regressedAt ?? null,
    resolvedAt: doc.resolvedAt ?? null,
    environments: doc.environments ?? [],
    releases: doc.releases ?? [],
    lastEventId: doc.lastEventId,
  };
}

function eventView(doc: EventDoc): StoredEventView {
  const { _id, ...rest } = unescapeKeys(doc);
  return { id: _id, ...rest, occurrences: rest.occurrences ?? 1 };
}

function bySortKey(sort: IssueSort): (a: IssueSummary, b: IssueSummary) => number {
  const value = (s: IssueSummary) => (sort === 'count' ? s.count : new Date(s[sort]).getTime());
  return (a, b) => value(b) - value(a) || (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0);
}

function kindOf(kind: ReportKind): ReportKind {
  if (!KINDS.includes(kind)) throw new RangeError(`\`kind\` must be one of ${KINDS.join(', ')}`);
  return kind;
}

function clampInteger(value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined || value === null) return fallback;
  const n = Math.floor(Number(value));
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
