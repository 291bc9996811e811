// koa-tripwire: one `app.use(stack())` gives a Koa API a response envelope, error
// reports (scrubbed, stored, announced) and broken-link reports. Every part is also
// exported on its own for apps that compose by hand.

export { stack, type Stack, type StackOptions } from './stack';

export { responseFormatter, type ResponseFormatterOptions } from './middleware/responseFormatter';
export { formatResponse, rawResponse } from './envelope/routeMarks';
export { successEnvelope, failureEnvelope, type Envelope } from './envelope/envelope';
export { requestContext, type RequestContextOptions } from './middleware/requestContext';
export { bodyParser, type BodyParserOptions } from './middleware/bodyParser';

export { errorReporter, type ErrorReporter, type ErrorReporterOptions } from './middleware/errorReporter';
export { brokenLinkReporter, type BrokenLinkReporter, type BrokenLinkReporterOptions } from './middleware/brokenLinkReporter';
export { COMMON_IGNORABLE_404_URLS, judgeBrokenLink, type BrokenLinkRuleOptions } from './middleware/brokenLinkRules';

export type { Report, ReportKind, ErrorInfo, RequestInfo, StackFrame, SourceContext, HttpClientInfo, BrokenLinkInfo, ReportUser, AlertInfo } from './report/Report';
export { buildErrorReport } from './report/buildErrorReport';
export { buildBrokenLinkReport, brokenLinkText } from './report/buildBrokenLinkReport';
export { reportOptions, defaultLimits, type ReportOptions, type ReportOptionsInput, type ReportLimits } from './report/options';
export { SafeReportFilter, type SafeReportFilterOptions } from './report/scrub/SafeReportFilter';
export { DEFAULT_SECRET_PATTERNS, type SecretPattern } from './report/scrub/secretShapes';
export { sourceContext, type SourceContextOptions } from './report/sourceContext';
export { formatFrame, topFrame } from './report/formatFrame';
export { sensitivePostParameters, SENSITIVE_POST_PARAMETERS } from './middleware/sensitivePostParameters';

export { Delivery, type DeliveryOptions, type DeliveryStats } from './delivery/Delivery';
export { MemoryLedger } from './delivery/MemoryLedger';
export type { Store, GroupOutcome, AlertLedger, AlertClaim, AlertVerdict } from './ports';
export { PermanentStoreError, isPermanentStoreError } from './ports';
export { MongoStore, type MongoStoreOptions } from './stores/mongo/MongoStore';
export type {
  IssueStore, IssueQuery, IssuePage, IssueSummary, IssueSummary as Issue, IssueSummary as BrokenLink, IssueSort, SnoozeOptions,
  StoredEventView, StoredEventView as StoredEvent, EventPage, HistogramBucket,
} from './ports';
export type { IssueStatus } from './ports';

export type { Notifier } from './ports';
export type { Logger } from './core/logger';
export { realClock, type Clock } from './core/clock';
export { SlackNotifier, type SlackNotifierOptions, type SlackNotifierStats } from './notifiers/slack/SlackNotifier';
export { notifierFilter, type NotifierFilterOptions } from './notifiers/notifierFilter';
export { slackMessage } from './notifiers/slack/slackMessage';
export { EmailNotifier, type EmailNotifierOptions, type EmailNotifierStats } from './notifiers/email/EmailNotifier';
export { ConsoleNotifier, type ConsoleNotifierOptions } from './notifiers/console/ConsoleNotifier';
export type { AlertSummary } from './notifiers/alertBudget';
export { renderText } from './notifiers/email/emailText';
export { renderHtml } from './notifiers/email/emailHtml';
export { consoleLogger, silentLogger } from './core/logger';

export { dashboard, type DashboardOptions } from './dashboard/dashboard';
export type { AuthCheck, BasicCredentials } from './dashboard/auth';
