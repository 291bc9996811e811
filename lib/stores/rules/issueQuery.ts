// The IssueStore's query options, checked and bounded the same way by every store.
// Every value is coerced to a string or a number here, so nothing from a request acts
// as an operator or an unbounded size.
import type { IssueQuery, IssueSort, IssueSummary } from '../../contracts/issueStore';
import type { IssueStatus } from '../../contracts/store';
import { REPORT_KINDS, type ReportKind } from '../../report/Report';
import { STATUSES } from './triage';

export const MAX_PER_PAGE = 500;
/** Both kinds listed together are merged from the top of each: pages stop this deep. */
export const MAX_MERGED_OFFSET = 10_000;
export const FOUND_BY_REQUEST_ID = 50;
/** Most values of each list filterValues() gives. */
export const MAX_FILTER_VALUES = 100;
const SORTS: readonly IssueSort[] = ['lastSeen', 'firstSeen', 'count'];
const DEFAULT_PER_PAGE = 50;
const MAX_QUERY_LENGTH = 200;

export interface IssueListing {
  status: IssueStatus | 'all';
  kinds: readonly ReportKind[];
  sort: IssueSort;
  page: number;
  perPage: number;
  offset: number;
  environment: string | null;
  release: string | null;
  /** Free text, trimmed and cut; '' for none. */
  q: string;
}

export function issueListing(query: IssueQuery): IssueListing {
  const { status = 'open', kind, sort = 'lastSeen' } = query;
  if (status !== 'all' && !STATUSES.includes(status)) throw new RangeError(`listIssues: \`status\` must be 'all' or one of ${STATUSES.join(', ')}`);
  if (kind !== undefined && !REPORT_KINDS.includes(kind)) throw new RangeError(`listIssues: \`kind\` must be one of ${REPORT_KINDS.join(', ')}`);
  if (!SORTS.includes(sort)) throw new RangeError(`listIssues: \`sort\` must be one of ${SORTS.join(', ')}`);
  const perPage = clampInteger(query.perPage, DEFAULT_PER_PAGE, 1, MAX_PER_PAGE);
  const kinds = kind ? [kind] : REPORT_KINDS;
  const page = clampInteger(query.page, 1, 1, kinds.length > 1 ? Math.floor(MAX_MERGED_OFFSET / perPage) : Number.MAX_SAFE_INTEGER);
  const filterText = (value: unknown) => (value === undefined || value === null || value === '' ? null : String(value));
  return {
    status, kinds, sort, page, perPage, offset: (page - 1) * perPage,
    environment: filterText(query.environment), release: filterText(query.release),
    q: typeof query.q === 'string' ? query.q.trim().slice(0, MAX_QUERY_LENGTH) : '',
  };
}

export function eventPaging(options: { page?: number; perPage?: number } | undefined): { page: number; perPage: number; offset: number } {
  const perPage = clampInteger(options?.perPage, 20, 1, MAX_PER_PAGE);
  const page = clampInteger(options?.page, 1, 1, Number.MAX_SAFE_INTEGER);
  return { page, perPage, offset: (page - 1) * perPage };
}

export function checkKind(kind: ReportKind): ReportKind {
  if (!REPORT_KINDS.includes(kind)) throw new RangeError(`\`kind\` must be one of ${REPORT_KINDS.join(', ')}`);
  return kind;
}

/** Newest (or most counted) first, then by fingerprint: the order of every listing. */
export function bySortKey(sort: IssueSort): (a: IssueSummary, b: IssueSummary) => number {
  const value = (s: IssueSummary) => (sort === 'count' ? s.count : new Date(s[sort]).getTime());
  return (a, b) => value(b) - value(a) || (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0);
}

export function clampInteger(value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined || value === null) return fallback;
  const n = Math.floor(Number(value));
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback;
}

export const HISTOGRAM_BUCKETS = { hour: { ms: 3_600_000, count: 24 }, day: { ms: 86_400_000, count: 14 } } as const;

export function histogramBuckets(by: unknown): { ms: number; count: number } {
  const bucket = HISTOGRAM_BUCKETS[by as 'hour' | 'day'];
  if (by !== 'hour' && by !== 'day') throw new RangeError("histograms: `by` must be 'hour' or 'day'");
  return bucket;
}
