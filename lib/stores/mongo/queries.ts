// The read side for apps and the dashboard (the IssueStore port). Every value from a
// query is coerced to a string or a number before it reaches a filter, and free text
// becomes an escaped regular expression: nothing from a request acts as an operator.
import type { mongo } from 'mongoose';
import type {
  EventPage, HistogramBucket, IssuePage, IssueQuery, IssueSort, IssueSummary, StoredEventView,
} from '../../ports';
import type { ReportKind } from '../../report/Report';
import { unescapeKeys } from './escapeKeys';
import { snoozeIsOver } from './status';
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
    // One kind pages on the server; two kinds are merged here from the top of each list.
    const cursor = collections.groups[k].find(groupFilter(k, status, query, now), { projection: HIDDEN }).sort(order);
    const docs = await (kinds.length > 1 ? cursor.limit(offset + perPage + 1) : cursor.skip(offset).limit(perPage + 1)).toArray();
    return docs.map((doc) => summaryOf(k, doc, now));
  }));
  let issues = lists.length > 1 ? lists.flat().sort(bySortKey(sort)).slice(offset) : lists[0];
  const hasMore = issues.length > perPage;
  issues = issues.slice(0, perPage);
  return { issues, page, perPage, hasMore };
}

export async function getIssue(collections: QueryCollections, kind: ReportKind, fingerprint: string, now: Date): Promise<IssueSummary | null> {
  const doc = await collections.groups[kindOf(kind)].findOne({ _id: String(fingerprint) }, { projection: HIDDEN });
  return doc ? summaryOf(kind, doc, now) : null;
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
  return (await histograms(collections, [fingerprint], by, now)).get(String(fingerprint))!;
}

/**
 * The histograms of many issues (a list page's rows) in one aggregation: $in on
 * fingerprint and the time range (the { fingerprint, timestamp } index), grouped by
 * fingerprint and bucket. Every fingerprint asked for gets its buckets, zeros included.
 */
export async function histograms(collections: QueryCollections, fingerprints: string[], by: 'hour' | 'day', now: Date): Promise<Map<string, HistogramBucket[]>> {
  const bucket = BUCKETS[by];
  if (!bucket) throw new RangeError("histograms: `by` must be 'hour' or 'day'");
  if (!Array.isArray(fingerprints)) throw new TypeError('histograms: `fingerprints` must be an array of strings');
  const wanted = [...new Set(fingerprints.map(String))];
  const start = Math.floor(now.getTime() / bucket.ms) * bucket.ms - (bucket.count - 1) * bucket.ms;
  const sinceEpoch = { $subtract: ['$timestamp', new Date(0)] };
  const sums = wanted.length === 0 ? [] : await collections.events.aggregate<{ _id: { f: string; at: number }; count: number }>([
    { $match: { fingerprint: wanted.length === 1 ? wanted[0] : { $in: wanted }, timestamp: { $gte: new Date(start) } } },
    {
      $group: {
        _id: { f: '$fingerprint', at: { $subtract: [sinceEpoch, { $mod: [sinceEpoch, bucket.ms] }] } },
        count: { $sum: { $ifNull: ['$occurrences', 1] } },
      },
    },
  ]).toArray();
  const counts = new Map(sums.map((s) => [`${Number(s._id.at)} ${s._id.f}`, s.count]));
  return new Map(wanted.map((f) => [f, Array.from({ length: bucket.count }, (_, i) => {
    const at = start + i * bucket.ms;
    return { start: new Date(at), count: counts.get(`${at} ${f}`) ?? 0 };
  })]));
}

/**
 * The status a listing filters on is the effective one: a snooze whose time has passed
 * reads as open before the next occurrence writes it so (reads never write). Every branch
 * is an equality on status, so the { status, <sort key> } indexes serve the sort ('all'
 * as $in over every status, merged by the server).
 */
function statusFilter(status: IssueQuery['status'], now: Date): Record<string, unknown> {
  if (status === 'all') return { status: { $in: STATUSES } };
  if (status === 'open') return { $or: [{ status: 'open' }, { status: 'snoozed', snoozedUntil: { $lte: now } }] };
  if (status === 'snoozed') return { status: 'snoozed', $or: [{ snoozedUntil: null }, { snoozedUntil: { $gt: now } }] };
  return { status: String(status) };
}

function groupFilter(kind: ReportKind, status: IssueQuery['status'], query: IssueQuery, now: Date): Record<string, unknown> {
  const filter: Record<string, unknown> = { $and: [statusFilter(status, now)] };
  if (query.environment !== undefined && query.environment !== '') filter.environments = String(query.environment);
  if (query.release !== undefined && query.release !== '') filter.releases = String(query.release);
  const q = typeof query.q === 'string' ? query.q.trim().slice(0, MAX_QUERY_LENGTH) : '';
  if (q) {
    const pattern = { $regex: escapeRegExp(q), $options: 'i' };
    (filter.$and as object[]).push({ $or: TEXT_FIELDS[kind].map((field) => ({ [field]: pattern })) });
  }
  return filter;
}

function summaryOf(kind: ReportKind, doc: GroupDoc, now: Date): IssueSummary {
  const issue = doc as Partial<IssueDoc>;
  const link = doc as Partial<BrokenLinkDoc>;
  const snoozeOver = snoozeIsOver(doc, now);
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
    status: snoozeOver ? 'open' : doc.status ?? 'open',
    snoozedUntil: snoozeOver ? null : doc.snoozedUntil ?? null,
    snoozedUntilCount: snoozeOver ? null : doc.snoozedUntilCount ?? null,
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
