// The read side for apps and the dashboard (the IssueStore port). Every value from a
// query is coerced to a string or a number before it reaches a filter (../rules/issueQuery.ts),
// and free text becomes an escaped regular expression: nothing from a request acts as an operator.
// Each read is one query (two for both kinds, or for breakdowns and filter values), and
// none returns more than a page (plus one) of documents.
import type { mongo } from 'mongoose';
import type { ActivityEntry, EventPage, FilterValues, HistogramBucket, IssueBreakdowns, IssuePage, IssueQuery, IssueSummary, StoredEventView } from '../../contracts/issueStore';
import { REPORT_KINDS, type ReportKind } from '../../report/Report';
import { unescapeKey, unescapeKeys } from './escapeKeys';
import { activityLimit, snoozeIsOver } from '../rules/triage';
import { breakdownDays, sumBreakdowns } from '../rules/breakdownCounts';
import {
  bySortKey, checkKind, eventPaging, FOUND_BY_REQUEST_ID, histogramBuckets, issueListing, MAX_FILTER_VALUES,
} from '../rules/issueQuery';
import { mergedPage } from './mergedPage';
import { STATUSES, type BrokenLinkDoc, type EventDoc, type GroupDoc, type IssueDoc } from './schemas';

const TEXT_FIELDS: Record<ReportKind, string[]> = { error: ['title', 'type', 'message', 'culprit'], 'broken-link': ['title', 'url', 'referer'] };
/** What a listing never reads: state kept for saves, and the bulky per-issue lists read by their own calls. */
const HIDDEN = { recentIds: 0, alert: 0, activity: 0, bd: 0, releasesAtResolve: 0 } as const;
/** Filter values come from the groups seen most recently, this many per kind. */
const FILTER_VALUE_GROUPS = 2000;

export interface QueryCollections {
  events: mongo.Collection<EventDoc>;
  groups: Record<ReportKind, mongo.Collection<GroupDoc>>;
}

/** A page of issues and/or broken links, without a total count: `hasMore` comes from fetching one more. */
export async function listIssues(collections: QueryCollections, query: IssueQuery, now: Date): Promise<IssuePage> {
  const listing = issueListing(query);
  const { kinds, perPage, offset, sort } = listing;
  const side = (k: ReportKind) => ({ groups: collections.groups[k], filter: groupFilter(k, listing, now), projection: HIDDEN });
  let issues: IssueSummary[];
  if (kinds.length === 1) {
    const docs = await collections.groups[kinds[0]].find(side(kinds[0]).filter, { projection: HIDDEN })
      .sort({ [sort]: -1, _id: 1 }).skip(offset).limit(perPage + 1).toArray();
    issues = docs.map((doc) => summaryOf(kinds[0], doc, now));
  } else {
    // Both kinds: each read from its side of the page's split, then merged here.
    const [errors, links] = await mergedPage(side('error'), side('broken-link'), sort, offset, perPage);
    issues = [...errors.map((doc) => summaryOf('error', doc, now)), ...links.map((doc) => summaryOf('broken-link', doc, now))].sort(bySortKey(sort));
  }
  return { issues: issues.slice(0, perPage), page: listing.page, perPage, hasMore: issues.length > perPage };
}

export async function getIssue(collections: QueryCollections, kind: ReportKind, fingerprint: string, now: Date): Promise<IssueSummary | null> {
  const doc = await collections.groups[checkKind(kind)].findOne({ _id: String(fingerprint) }, { projection: HIDDEN });
  return doc ? summaryOf(kind, doc, now) : null;
}

/** The issue's activity, newest first. */
export async function activity(collections: QueryCollections, kind: ReportKind, fingerprint: string, limit: unknown): Promise<ActivityEntry[]> {
  const doc = await collections.groups[checkKind(kind)].findOne({ _id: String(fingerprint) }, { projection: { activity: 1 } });
  const entries = Array.isArray(doc?.activity) ? doc.activity : [];
  return entries.slice(-activityLimit(limit)).reverse().map((e) => ({
    at: new Date(e.at), action: e.action, actor: e.actor ?? null, via: e.via ?? null, detail: e.detail ?? null,
  }));
}

/** Sums the group's day slots (an issue, else a broken link with that fingerprint). */
export async function breakdowns(collections: QueryCollections, fingerprint: string, options: { days?: number; now?: Date }, now: Date): Promise<IssueBreakdowns> {
  const _id = String(fingerprint);
  const [issue, link] = await Promise.all(REPORT_KINDS.map((k) => collections.groups[k].findOne({ _id }, { projection: { bd: 1 } })));
  const slots = Object.values((issue ?? link)?.bd ?? {});
  return sumBreakdowns(slots, breakdownDays(options?.days), options?.now ?? now, unescapeKey);
}

/**
 * The releases and environments on the groups seen most recently, most recent first:
 * grouped by the server ($unwind, $group), so the answer is at most 100 values a list.
 */
export async function filterValues(collections: QueryCollections, kind: ReportKind | undefined): Promise<FilterValues> {
  const kinds = kind === undefined ? REPORT_KINDS : [checkKind(kind)];
  const valuesOf = async (field: 'releases' | 'environments') => {
    const lists = await Promise.all(kinds.map((k) => collections.groups[k].aggregate<{ _id: string; at: Date }>([
      { $sort: { lastSeen: -1 } },
      { $limit: FILTER_VALUE_GROUPS },
      { $project: { [field]: 1, lastSeen: 1 } },
      { $unwind: `$${field}` },
      { $group: { _id: `$${field}`, at: { $max: '$lastSeen' } } },
      { $sort: { at: -1, _id: 1 } },
      { $limit: MAX_FILTER_VALUES },
    ]).toArray()));
    const latest = new Map<string, number>();
    for (const row of lists.flat()) latest.set(String(row._id), Math.max(latest.get(String(row._id)) ?? 0, new Date(row.at).getTime()));
    return [...latest].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, MAX_FILTER_VALUES).map(([value]) => value);
  };
  const [releases, environments] = await Promise.all([valuesOf('releases'), valuesOf('environments')]);
  return { releases, environments };
}

export async function listEvents(collections: QueryCollections, fingerprint: string, options: { page?: number; perPage?: number }): Promise<EventPage> {
  const { page, perPage, offset } = eventPaging(options);
  const docs = await collections.events.find({ fingerprint: String(fingerprint) })
    .sort({ timestamp: -1, _id: -1 }).skip(offset).limit(perPage + 1).toArray();
  return { events: docs.slice(0, perPage).map(eventView), page, perPage, hasMore: docs.length > perPage };
}

/** Served by the { fingerprint, timestamp } index; `limit` keeps a storm's issue from being counted to the end. */
export async function countEvents(collections: QueryCollections, fingerprint: string, max: number): Promise<number> {
  const limit = Math.floor(max);
  // A limit of 0 is "no limit" to MongoDB, so a max under 1 is answered without asking.
  if (!(limit >= 1)) return 0;
  return collections.events.countDocuments({ fingerprint: String(fingerprint) }, { limit });
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
  const bucket = histogramBuckets(by);
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

function groupFilter(kind: ReportKind, listing: ReturnType<typeof issueListing>, now: Date): Record<string, unknown> {
  const filter: Record<string, unknown> = { $and: [statusFilter(listing.status, now)] };
  if (listing.environment !== null) filter.environments = listing.environment;
  if (listing.release !== null) filter.releases = listing.release;
  if (listing.q) {
    const pattern = { $regex: escapeRegExp(listing.q), $options: 'i' };
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
    visitors: doc.visitorKeys?.length ?? 0,
    resolvedIn: doc.resolvedIn ?? null,
    oldReleaseSeen: doc.oldReleaseSeen ?? null,
    oldReleaseSeenAt: doc.oldReleaseSeenAt ?? null,
    grouping: doc.grouping ?? null,
    upstream: (doc as Partial<IssueDoc>).upstream ?? null,
  };
}

function eventView(doc: EventDoc): StoredEventView {
  const { _id, ...rest } = unescapeKeys(doc);
  return { id: _id, ...rest, occurrences: rest.occurrences ?? 1 };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
