// koa-tripwire: one `app.use(stack())` gives a Koa API a response envelope, error
// reports (scrubbed, stored, announced) and broken-link reports. This entry holds what
// the README teaches; what store and notifier authors build on is in `koa-tripwire/advanced`
// (lib/advanced.ts). spec/exports.spec.ts lists both, so a new name is a visible decision.

export { stack, type Stack, type StackOptions } from './stack';
export { createClient, Client } from './client/client';

export { requestContext, type RequestContextOptions } from './middleware/requestContext';
export { responseFormatter, type ResponseFormatterOptions } from './envelope/responseFormatter';
export { formatResponse, rawResponse } from './envelope/routeMarks';
export { bodyParser, type BodyParserOptions } from './middleware/bodyParser';
export { errorReporter, type ErrorReporterOptions } from './middleware/errorReporter';
export { brokenLinkReporter, type BrokenLinkReporterOptions } from './brokenLinks/brokenLinkReporter';
export { sensitivePostParameters } from './middleware/sensitivePostParameters';

export { dashboard, type DashboardOptions } from './dashboard/dashboard';
export { MongoStore, type MongoStoreOptions } from './stores/mongo/MongoStore';
export { MemoryStore } from './stores/memory/MemoryStore';
export { SlackNotifier, type SlackNotifierOptions } from './notifiers/slack/SlackNotifier';
export { EmailNotifier, type EmailNotifierOptions } from './notifiers/email/EmailNotifier';
export { ConsoleNotifier } from './notifiers/console/ConsoleNotifier';
export { silentLogger, type Logger } from './core/logger';

export type { Report } from './report/Report';
export type { Notifier } from './contracts/notifier';
export type { Store } from './contracts/store';
