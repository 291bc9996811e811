// The contracts of koa-tripwire, in one place: what a store, an alert ledger and a
// notifier implement, and what the dashboard reads. Delivery (lib/delivery/) and the
// dashboard (lib/dashboard/) depend on these types only; stores (lib/stores/<name>/)
// and notifiers implement them. Nothing here knows about MongoDB.
import type { Report, ReportKind } from './report/Report';

/** What a store learned about each group (fingerprint) while saving a batch. */
export interface GroupOutcome {
  kind: Report['kind'];
  fingerprint: string;
  /** Occurrences of this group newly stored by this call (replays are not counted twice). */
  added: number;
  /** Total occurrences after this call, when the store keeps counts. */
  count: number | null;
  /** This call created the group. */
  isNew: boolean;
  /** This call reopened a resolved group. */
  regressed: boolean;
  /**
   * The group's triage status after this call, when the store keeps one: `ignored` and
   * `snoozed` groups are stored and counted but never announced.
   */
  status?: IssueStatus;
  /**
   * The alert decision, when the store made it in the same trip as the save (MongoStore
   * does); absent means delivery asks the ledger (`alertLedger().record`) itself.
   */
  alert?: AlertVerdict;
  /**
   * The occurrence came from a release older than the one the group was resolved in
   * (see IssueSummary.resolvedIn): counted and marked, the group stays resolved, no alert.
   */
  oldRelease?: boolean;
  /** This call ended a snooze (the group is open again), and why: announced as "Snooze ended (…)". */
  snoozeEnded?: SnoozeEnd;
  /** The report was counted in its kind's overflow group (over `maxNewGroupsPerHour`); `fingerprint` is that group's. */
  overflowed?: boolean;
}

export type SnoozeEnd =
  | { after: 'count'; occurrences: number }
  | { after: 'time'; ms: number };

/** What delivery asks of a store with every save, so a client's stream of reports cannot grow the store without bound or pin dates in the future. */
export interface SavePolicy {
  /**
   * New groups a kind may open per hour (all instances together when the store is shared);
   * past it, reports of new fingerprints are counted in one overflow group per kind,
   * fingerprint `overflow:<kind>`, titled "New issues over the hourly limit".
   */
  maxNewGroupsPerHour: Record<ReportKind, number>;
  /** The store's "now": report timestamps later than now + `maxClockSkewMs` are clamped to now. */
  now: Date;
  maxClockSkewMs: number;
}

export type IssueStatus = 'open' | 'resolved' | 'ignored' | 'snoozed';

/**
 * Where reports are kept. `save` must be idempotent by report id: delivery replays
 * a batch after a failure or a restart, and a replay must neither duplicate an
 * event nor count it twice.
 */
export interface Store {
  save(reports: Report[], policy?: SavePolicy): Promise<GroupOutcome[]>;
  /** Shared alert throttle state, so several app instances send one alert between them. */
  alertLedger?(kind: Report['kind']): AlertLedger;
  close?(): Promise<void>;
}

/**
 * Thrown by a store when the failure concerns the reports themselves (a key or size
 * the database refuses, a validation error), so retrying the same batch can never
 * succeed. Delivery then isolates the reports at fault instead of parking the batch;
 * any other error is taken as transient (network, timeouts, failover) and retried.
 */
export class PermanentStoreError extends Error {
  readonly permanent = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentStoreError';
  }
}

export function isPermanentStoreError(err: unknown): boolean {
  return err instanceof PermanentStoreError || (err as { permanent?: unknown } | null)?.permanent === true;
}

export interface AlertClaim {
  kind: Report['kind'];
  fingerprint: string;
  /** Occurrences to account for in this call. */
  occurrences: number;
  /** Alert regardless of the window (a new group or a regression). */
  force: boolean;
  now: Date;
  windowMs: number;
}

export interface DigestClaim {
  /** Occurrences held back since the last alert; 0 when there is no digest to send. */
  suppressed: number;
  /** The group's total as the ledger knows it now (all instances together), when it keeps one. */
  count: number | null;
}

export interface AlertVerdict {
  /** Announce now. */
  send: boolean;
  /** When sending: occurrences counted and held back since the previous alert. */
  suppressed: number;
}

/**
 * Decides atomically whether an occurrence is announced or only counted. Implemented
 * in memory (one process) and by MongoStore (conditional updates shared by all instances).
 */
export interface AlertLedger {
  record(claim: AlertClaim): Promise<AlertVerdict>;
  /** Claims a digest for a group whose window has passed with occurrences held back. */
  claimDigest(kind: Report['kind'], fingerprint: string, now: Date, windowMs: number): Promise<DigestClaim>;
}

/**
 * Anything that announces reports: Slack, email, or your own (PagerDuty, Teams, a webhook).
 * `notify` resolves when the message is delivered or given up; it may reject, and
 * delivery catches it: a failing notifier never touches a request or another notifier.
 * `report.alert` says why it is sent (first occurrence, regression, digest).
 */
export interface Notifier {
  readonly name?: string;
  notify(report: Report): Promise<void>;
  /** Routing filter (minimum status, environments, a predicate); absent means every report. */
  accepts?(report: Report): boolean;
  /**
   * Waits for queued messages, then releases resources. With `timeoutMs`, retries stop
   * and what is not sent by then is given up: delivery also races the call against it.
   */
  close?(timeoutMs?: number): Promise<void>;
}

// ---- The dashboard's port: listing, reading and triaging issues ----

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

/** How a group was made, shown on the issue page in one line (like Sentry's grouping info). */
export interface GroupingInfo {
  rule: 'custom' | 'frames' | 'route' | 'message' | 'link' | 'overflow';
  /** E.g. "in-app frames of TypeError: lib/users.ts getUser, lib/app.ts handler". */
  detail: string;
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

/**
 * What one notifier's alert budget for one kind held back in a window, told in one summary
 * message (a report with `alert.reason` 'summary' and `alert.summary`): errors and broken
 * links each have their own budget, so a flood of one never hides the other.
 */
export interface AlertSummary {
  kind: ReportKind;
  /** Alerts held back (not sent one by one). */
  held: number;
  /** Of those, first alerts of new issues (new or over the hourly limit). */
  newIssues: number;
  /** Repeats, regressions, snooze ends and digests of known issues. */
  others: number;
  /** How long the window ran before the summary (the whole window, or less at close). */
  elapsedMs: number;
  /** Every new issue held back, in the order held, with its alerts held; bounded (see `unnamed`). */
  named: Array<{ title: string; fingerprint: string; count: number }>;
  /** New issues held back past the bound of `named`: counted, not named. */
  unnamed: number;
}
