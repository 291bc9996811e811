// koa-tripwire/advanced: for those who build on the suite rather than use it: store and
// notifier authors (the ports and their query types), apps composing reports by hand (the
// builders, the scrubbing filter, source context), and tools reading delivery's counters.
// The main entry (lib/index.ts) holds what the README teaches; spec/exports.spec.ts lists both.

export type { Store, GroupOutcome, SavePolicy, AlertLedger, AlertClaim, DigestClaim, AlertVerdict, IssueStatus } from './contracts/store';
export type { Notifier } from './contracts/notifier';
export type {
  IssueStore, IssueQuery, IssuePage, IssueSummary, IssueSort, SnoozeOptions, StatusChange, ActivityEntry, IssueBreakdowns, FilterValues, StoredEventView, EventPage, HistogramBucket,
} from './contracts/issueStore';
export { PermanentStoreError, isPermanentStoreError } from './contracts/store';

export type {
  Report, ReportKind, ErrorInfo, RequestInfo, StackFrame, SourceContext, HttpClientInfo, BrokenLinkInfo, ReportUser, AlertInfo,
  AlertSummary, GroupingInfo,
} from './report/Report';
export { buildErrorReport } from './report/buildErrorReport';
export { buildBrokenLinkReport, brokenLinkText } from './brokenLinks/buildBrokenLinkReport';
export { reportOptions, defaultLimits, type ReportOptions, type ReportOptionsInput, type ReportLimits } from './report/reportOptions';
export { SafeReportFilter, type SafeReportFilterOptions } from './report/scrub/SafeReportFilter';
export { DEFAULT_SECRET_PATTERNS, type SecretPattern } from './report/scrub/secretShapes';
export { sourceContext, type SourceContextOptions } from './report/sourceContext';
export { formatFrame, topFrame } from './report/formatFrame';
export { upstreamTitle } from './report/httpClientError';

export { successEnvelope, failureEnvelope, type Envelope } from './envelope/envelope';
export type { UpstreamErrors } from './envelope/thrown';
export { SENSITIVE_POST_PARAMETERS } from './report/scrub/sensitivePostParameterMarks';
export type { ErrorReporter } from './middleware/errorReporter';
export type { BrokenLinkReporter } from './brokenLinks/brokenLinkReporter';
export { COMMON_IGNORABLE_404_URLS, judgeBrokenLink, type BrokenLinkRuleOptions } from './brokenLinks/brokenLinkRules';

export { Delivery, type DeliveryOptions, type DeliveryStats } from './delivery/Delivery';
export { MemoryLedger } from './delivery/MemoryLedger';

export { notifierFilter, type NotifierFilterOptions } from './notifiers/notifierFilter';
export { slackMessage } from './notifiers/slack/slackMessage';
export type { SlackNotifierStats } from './notifiers/slack/SlackNotifier';
export { renderText } from './notifiers/email/emailText';
export { renderHtml } from './notifiers/email/emailHtml';
export type { EmailNotifierStats } from './notifiers/email/EmailNotifier';
export type { ConsoleNotifierOptions } from './notifiers/console/ConsoleNotifier';


export { consoleLogger } from './core/logger';
export type { ClientOptions } from './client/client';
export type { MemoryStoreOptions } from './stores/memory/MemoryStore';
export { realClock, type Clock } from './core/clock';
export type { AuthCheck, BasicCredentials } from './dashboard/auth';
