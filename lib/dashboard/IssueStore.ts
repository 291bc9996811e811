import type { IssueStatus } from '../delivery/ports';
import type { ReportKind } from '../report/Report';

/**
 * What the dashboard (and an app's own tooling) asks of a store: listing, reading and
 * triaging issues. MongoStore implements it; the Store contract spec runs it against
 * every implementation.
 */
export interface IssueStore {
  listIssues(query?: IssueQuery): Promise<IssuePage>;
  getIssue(kind: ReportKind, fingerprint: string): Promise<IssueSummary | null>;
  setStatus(kind: ReportKind, fingerprint: string, status: IssueStatus, snooze?: SnoozeOptions): Promise<IssueSummary | null>;
  /** Events of one issue, newest first. */
  listEvents(fingerprint: string, page?: { page?: number; perPage?: number }): Promise<EventPage>;
  getEvent(id: string): Promise<StoredEventView | null>;
  findEvents(query: { requestId: string }): Promise<StoredEventView[]>;
  /** Occurrences per hour (last 24 h) or per day (last 14 days), oldest bucket first; folded events count their occurrences. */
  histogram(fingerprint: string, options: { by: 'hour' | 'day'; now?: Date }): Promise<HistogramBucket[]>;
}

export interface SnoozeOptions {
  /** Snoozed until this time, then open again (and announced on its next occurrence). */
  until?: Date;
  /** Snoozed until this many more occurrences, then open again. */
  untilCount?: number;
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
  /** 1-based. */
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
  /** Distinct users seen (ids or usernames other than Anonymous), as far as the store counts them. */
  users: number;
  firstSeen: Date;
  lastSeen: Date;
  status: IssueStatus;
  snoozedUntil?: Date | null;
  snoozedUntilCount?: number | null;
  regressedAt?: Date | null;
  resolvedAt?: Date | null;
  environments: string[];
  releases: string[];
  lastEventId: string;
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
