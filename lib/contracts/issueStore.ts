// What the dashboard (and an app's own tooling) reads from a store: listing, reading and
// triaging issues, and the shapes of what comes back.
import type { ReportKind, GroupingInfo } from '../report/Report';
import type { IssueStatus } from './store';
/**
 * What the dashboard (and an app's own tooling) asks of a store: listing, reading and
 * triaging issues. MongoStore implements it; the Store contract spec runs it against
 * every implementation.
 */
export interface IssueStore {
  /** Issues and/or broken links; an unknown `status`, `kind` or `sort` rejects with a RangeError. */
  listIssues(query?: IssueQuery): Promise<IssuePage>;
  getIssue(kind: ReportKind, fingerprint: string): Promise<IssueSummary | null>;
  /**
   * Sets the triage status; resolves the group as it now is, or null when there is none.
   * Rejects with a RangeError for an unknown status or a bad `untilCount`, a TypeError
   * for a snooze without `until`/`untilCount` or with them on another status.
   */
  setStatus(kind: ReportKind, fingerprint: string, status: IssueStatus, snooze?: SnoozeOptions, change?: StatusChange): Promise<IssueSummary | null>;
  /** The issue's activity, newest first (at most `limit`, default 50): status changes with who did them, regressions, snooze ends, first events of a release. */
  // The three below are optional so an app's own store keeps working; the dashboard hides what a store cannot answer.
  activity?(kind: ReportKind, fingerprint: string, options?: { limit?: number }): Promise<ActivityEntry[]>;
  /**
   * Occurrences of the last `days` (default 14) up to `now`, by release, environment, route,
   * browser family and host: each list at most 10 values, most frequent first, plus `total`.
   */
  breakdowns?(fingerprint: string, options?: { days?: number; now?: Date }): Promise<IssueBreakdowns>;
  /** The releases and environments actually seen (most recent first, at most 100 each), for the list's filters. */
  filterValues?(options?: { kind?: ReportKind }): Promise<FilterValues>;
  /** Events of one issue, newest first (default 20 a page, at most 500). Broken links keep no events. */
  listEvents(fingerprint: string, page?: { page?: number; perPage?: number }): Promise<EventPage>;
  /** How many events the issue keeps, counted up to `max` (the issue page's "Event 3 of 16"): one bounded count. */
  countEvents(fingerprint: string, options: { max: number }): Promise<number>;
  getEvent(id: string): Promise<StoredEventView | null>;
  /** Events whose request carried this id (`request.requestId`), newest first, at most 50. */
  findEvents(query: { requestId: string }): Promise<StoredEventView[]>;
  /**
   * Occurrences per UTC hour (24 buckets) or UTC day (14 buckets) up to and including the
   * one holding `now`, oldest bucket first; folded events count their occurrences.
   */
  histogram(fingerprint: string, options: { by: 'hour' | 'day'; now?: Date }): Promise<HistogramBucket[]>;
  /**
   * The same answer as `histogram()` for each fingerprint (duplicates answered once), in
   * one query: the issues page charts every row with it. Optional so an app's own store
   * keeps working; without it the dashboard asks `histogram()` row by row.
   */
  histograms?(fingerprints: string[], options: { by: 'hour' | 'day'; now?: Date }): Promise<Map<string, HistogramBucket[]>>;
}

export interface SnoozeOptions {
  /** Snoozed until this time, then open again (and announced on its next occurrence). */
  until?: Date;
  /** Snoozed until this many more occurrences (a positive integer), then open again. */
  untilCount?: number;
}

/** Who changed a status, from where, and the release current then (recorded as `resolvedIn` on resolve). */
export interface StatusChange {
  /** Basic auth's username, an `auth` function's `{ user }`, or `ctx.state.user`; null when unknown. */
  actor?: string | null;
  /** Which action: 'issue page', 'bulk', 'undo', 'api'. */
  via?: string;
  /** The app's release at that moment; when absent the store takes the newest release seen on the issue. */
  release?: string | null;
}

export type ActivityAction =
  | 'resolved' | 'ignored' | 'snoozed' | 'reopened'
  | 'regressed' | 'snooze-ended' | 'new-release' | 'old-release' | 'created';

export interface ActivityEntry {
  at: Date;
  action: ActivityAction;
  /** Who, for status changes made by a person; null for what the store recorded itself. */
  actor: string | null;
  via: string | null;
  /** E.g. the release ("1.4.2"), "until 2026-12-04T10:00Z", "10 more occurrences". */
  detail: string | null;
}

export interface BreakdownRow {
  value: string;
  count: number;
}

export interface IssueBreakdowns {
  days: number;
  total: number;
  release: BreakdownRow[];
  environment: BreakdownRow[];
  route: BreakdownRow[];
  /** Browser family from the User-Agent ("Chrome", "Firefox", "Safari", "curl", "Other"). */
  browser: BreakdownRow[];
  host: BreakdownRow[];
}

export interface FilterValues {
  releases: string[];
  environments: string[];
}


export type IssueSort = 'lastSeen' | 'firstSeen' | 'count';

export interface IssueQuery {
  /** Default 'open'; 'all' lists every status. */
  status?: IssueStatus | 'all';
  /** Default: both kinds. */
  kind?: ReportKind;
  environment?: string;
  release?: string;
  /** Free text, matched case-insensitively against title, type, message and culprit (or URL and referer). */
  q?: string;
  /** Default 'lastSeen', newest first. */
  sort?: IssueSort;
  /** 1-based. With both kinds, pages stop 10,000 issues deep (each kind is read from its top and merged). */
  page?: number;
  /** Default 50, at most 500. */
  perPage?: number;
}

export interface IssueSummary {
  kind: ReportKind;
  fingerprint: string;
  title: string;
  type: string | null;
  message: string | null;
  culprit: string | null;
  /** Broken links: the URL, referer and whether the referer is on this host. */
  url?: string;
  referer?: string;
  internal?: boolean;
  userAgents?: string[];
  count: number;
  /** Distinct users seen (ids, or usernames other than Anonymous); MongoStore counts up to 200. */
  users: number;
  firstSeen: Date;
  lastSeen: Date;
  status: IssueStatus;
  snoozedUntil?: Date | null;
  /** The total `count` at which the snooze ends (the count when snoozed + `untilCount`). */
  snoozedUntilCount?: number | null;
  regressedAt?: Date | null;
  resolvedAt?: Date | null;
  /** Distinct values seen (MongoStore keeps up to 50 of each). */
  environments: string[];
  releases: string[];
  lastEventId: string;
  /**
   * Distinct anonymous visitors: keyed hashes (HMAC-SHA256, a random key kept per store)
   * of the client IP of reports without a user, never the IP; counted up to 200 like users.
   */
  visitors?: number;
  /** The release current when the issue was last resolved. */
  resolvedIn?: string | null;
  /** The last occurrence from an older release than `resolvedIn`, which did not reopen it. */
  oldReleaseSeenAt?: Date | null;
  oldReleaseSeen?: string | null;
  grouping?: GroupingInfo | null;
  /** For HTTP client errors: the upstream of the first report, for the list's subtitle. */
  upstream?: { method: string | null; host: string | null; status: number | null } | null;
}

export interface IssuePage {
  issues: IssueSummary[];
  page: number;
  perPage: number;
  /** Whether another page follows (no total count: counting 10,000 issues on every page view is what makes dashboards slow). */
  hasMore: boolean;
}

export interface StoredEventView {
  id: string;
  fingerprint: string;
  kind: ReportKind;
  timestamp: Date;
  title: string;
  status: number;
  error: unknown;
  request: unknown;
  user: unknown;
  environment: string;
  release: string | null;
  host: string;
  pid: number;
  occurrences: number;
}

export interface EventPage {
  events: StoredEventView[];
  page: number;
  perPage: number;
  hasMore: boolean;
}

export interface HistogramBucket {
  /** Start of the bucket. */
  start: Date;
  count: number;
}
