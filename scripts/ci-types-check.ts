// Type-checked by scripts/ci-package.sh in a fresh app that installed the packed
// koa-tripwire with only @types/koa and @types/node (tsc --strict, library checks on):
// the public API as a TypeScript user writes it. It is compiled, never run.
import Koa from 'koa';
import {
  brokenLinkReporter, bodyParser, ConsoleNotifier, EmailNotifier, errorReporter, formatResponse, MongoStore, rawResponse,
  requestContext, responseFormatter, silentLogger, SlackNotifier, stack,
  type Notifier, type Report, type Stack, type StackOptions, type Store,
} from 'koa-tripwire';
import { SafeReportFilter, type IssueStore } from 'koa-tripwire/advanced';

const options: StackOptions = {
  requestId: { header: 'X-Trace-Id' },
  formatter: { match: ['/v2'], emitErrors: false },
  errors: { store: null, windowMs: 60_000, reportStatuses: [404], logger: silentLogger, filter: new SafeReportFilter() },
  brokenLinks: false,
  bodyParser: { jsonLimit: '1mb', parser: { strict: true, extendTypes: { json: ['application/x-json'] } } },
};
const tripwire: Stack = stack(options);
// @ts-expect-error: a misspelt option is a type error in TypeScript (and a TypeError in JavaScript)
stack({ formater: {} });

const app = new Koa();
app.use(tripwire);
app.use(formatResponse());
app.use(rawResponse());
app.use(requestContext()).use(responseFormatter()).use(bodyParser());
// ctx.request.body is typed by koa-tripwire's own declarations (no @types/koa-bodyparser).
app.use((ctx) => {
  const body = ctx.request.body;
  ctx.body = body && typeof body === 'object' && 'title' in body ? { title: String(body.title) } : { received: body ?? null };
});
const issues: IssueStore | null = null;
void issues;

const mine: Notifier = {
  name: 'mine',
  async notify(report: Report): Promise<void> {
    const title: string = report.title;
    void title;
  },
};
const store: Store = new MongoStore({ uri: 'mongodb://127.0.0.1:27017/app', retentionDays: 7 });
const slack = new SlackNotifier({ webhookUrl: 'https://hooks.slack.com/services/T0/B0/X' });
const email = new EmailNotifier({ smtp: { host: 'smtp.example.com', port: 587 }, from: 'api@example.com', to: ['ops@example.com'] });
const errors = errorReporter({ store, notifiers: [slack, email, mine, new ConsoleNotifier()] });
const links = brokenLinkReporter({ store, notifiers: [mine], ignorableUrls: [/^\/old\//] });
app.use(errors).use(links);
const id: string | null = errors.captureException(new Error('nightly job failed'));
void id;

export async function shutdown(): Promise<void> {
  await tripwire.flush();
  await tripwire.close(5000);
  await errors.close();
  await links.close(1000);
  const accepted: number = errors.stats.accepted;
  void accepted;
}
