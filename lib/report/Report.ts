// The one report model that every store and notifier receives. A report is built from
// the request's context, during the request (or, for the latest occurrence folded by the
// rate limit, when its tally goes: see Delivery.offer), scrubbed once by SafeReportFilter,
// and only then handed to delivery: nothing downstream sees secrets.
import type { HttpClientName } from '../envelope/upstreamFailure';

export type ReportKind = 'error' | 'broken-link';

/** Every kind, in the order the dashboard and the settings list them. */
export const REPORT_KINDS: readonly ReportKind[] = ['error', 'broken-link'];

/** A setting given once for both kinds, or per kind (a kind left out keeps its default). */
export type PerKind<T> = T | Partial<Record<ReportKind, T>>;

export interface StackFrame {
  file: string | null;
  line: number | null;
  column: number | null;
  function: string | null;
  /** False for node_modules and node: internals; fingerprints use in-app frames only. */
  inApp: boolean;
  /** Source lines around `line` (in-app frames, added by the sourceContext enricher), scrubbed. */
  context?: SourceContext;
  /** An `await`ed call (V8 prints "at async …"). */
  async?: boolean;
  /** Mapped through the file's source map: `file`, `line`, `column`, `function` are the original's. */
  mapped?: boolean;
}

export interface SourceContext {
  pre: string[];
  line: string;
  post: string[];
}

/** What an HTTP client error (axios, got, undici/fetch, node:http) is reported as. */
export interface HttpClientInfo {
  client: HttpClientName;
  method: string | null;
  /** Scrubbed like every string of a report. */
  url: string | null;
  status: number | null;
  statusText: string | null;
  code: string | null;
  /** A few headers of each side, values under hidden names masked. */
  requestHeaders: Record<string, string>;
  responseHeaders: Record<string, string>;
}

export interface ErrorInfo {
  /** Constructor name, or `typeof` for non-Error throws ('string', 'null', 'object'). */
  type: string;
  message: string;
  stack: string | null;
  frames: StackFrame[];
  /** The `error.cause` chain, outermost first, each without its own cause. */
  cause: Array<Omit<ErrorInfo, 'cause'>>;
  /** Own enumerable properties of the thrown value (scrubbed). */
  extra: Record<string, unknown>;
  /** Set for the errors of HTTP clients, whose config/request/response are not copied. */
  http?: HttpClientInfo;
  /** The `errors` of an AggregateError (or any error listing others), each summarised. */
  errors?: Array<Omit<ErrorInfo, 'cause' | 'errors'>>;
}

export interface RequestInfo {
  method: string;
  url: string;
  path: string;
  query: Record<string, unknown>;
  headers: Record<string, unknown>;
  body: unknown;
  /** Koa's ctx.ip: honours app.proxy and app.maxIpsCount, never the raw first X-Forwarded-For entry. */
  ip: string;
  userAgent: string | null;
  referer: string | null;
  requestId: string | null;
  /** The route pattern that matched (@koa/router's `ctx._matchedRoute`), e.g. "/users/:id". */
  route?: string | null;
}

export interface BrokenLinkInfo {
  /** Requested path with its query string. */
  url: string;
  referer: string;
  /** True when the referer is on this host (Django's "Broken INTERNAL link"). */
  internal: boolean;
}

export interface ReportUser {
  id: string | null;
  username: string;
}

/** Why a notifier is being told about a report (set by the alert throttle, not by capture). */
export interface AlertInfo {
  reason: 'new' | 'regression' | 'window' | 'digest' | 'snooze-ended' | 'overflow' | 'summary';
  /** With reason 'snooze-ended': what ended it. */
  snoozeEnded?: SnoozeEnd;
  /** With reason 'summary': what a notifier's alert budget held back (the report stands for them). */
  summary?: AlertSummary;
  /** Occurrences of this group that were counted but not announced since the last alert. */
  suppressed: number;
  windowMs: number;
  /** Total occurrences of the group when known (from the store). */
  count: number | null;
}

export interface Report {
  id: string;
  kind: ReportKind;
  title: string;
  /** ISO 8601, UTC. */
  timestamp: string;
  /** IANA zone of the server, e.g. "Europe/Paris", so people read the time as the server saw it. */
  timezone: string;
  status: number;
  /** Groups occurrences of the same bug (errors) or the same link (broken links). */
  fingerprint: string;
  error: ErrorInfo | null;
  brokenLink: BrokenLinkInfo | null;
  request: RequestInfo | null;
  user: ReportUser;
  environment: string;
  release: string | null;
  host: string;
  pid: number;
  /**
   * Occurrences this report stands for (1 when absent). Past the delivery's
   * `eventsPerMinute`, a group's occurrences are folded into one report that counts them.
   */
  occurrences?: number;
  alert?: AlertInfo;
  /** Which rule grouped this report (set with the fingerprint). */
  grouping?: GroupingInfo;
}

export type SnoozeEnd =
  | { after: 'count'; occurrences: number }
  | { after: 'time'; ms: number };

/** How a group was made, shown on the issue page in one line (like Sentry's grouping info). */
export interface GroupingInfo {
  rule: 'custom' | 'frames' | 'route' | 'message' | 'link' | 'overflow';
  /** E.g. "in-app frames of TypeError: lib/users.ts getUser, lib/app.ts handler". */
  detail: string;
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
