import type { Middleware } from 'koa';
import compose from 'koa-compose';
import { consoleLogger } from './core/logger';
import { dashboard, type DashboardOptions } from './dashboard/dashboard';
import type { IssueStore } from './dashboard/IssueStore';
import { bodyParser, type BodyParserOptions } from './middleware/bodyParser';
import { brokenLinkReporter, type BrokenLinkReporter, type BrokenLinkReporterOptions } from './middleware/brokenLinkReporter';
import { errorReporter, type ErrorReporter, type ErrorReporterOptions } from './middleware/errorReporter';
import { notifiersFromEnv, storeFromEnv } from './middleware/reporting';
import { requestContext, type RequestContextOptions } from './middleware/requestContext';
import { responseFormatter, type ResponseFormatterOptions } from './middleware/responseFormatter';
import type { Logger } from './core/logger';
import type { Notifier } from './delivery/ports';
import type { Store } from './delivery/ports';

/** Each part takes its own options, or `false` to leave it out. */
export interface StackOptions {
  requestId?: RequestContextOptions | false;
  formatter?: ResponseFormatterOptions | false;
  errors?: ErrorReporterOptions | false;
  brokenLinks?: BrokenLinkReporterOptions | false;
  bodyParser?: BodyParserOptions | false;
}

export interface Stack extends Middleware {
  /** Resolves once every report accepted so far is delivered or given up. */
  flush(): Promise<void>;
  /** Flushes until the deadline, parks the rest in the outbox and releases connections. */
  close(timeoutMs?: number): Promise<void>;
  readonly errors: ErrorReporter | null;
  readonly brokenLinks: BrokenLinkReporter | null;
  /** The store the reporters write to (the one built from MONGODB_URI when none was given), or null. */
  readonly store: Store | null;
  /** The issues dashboard reading this stack's store: `app.use(tripwire.dashboard({ auth }))`. */
  dashboard(options: DashboardOptions): Middleware;
}

/**
 * The whole suite in its documented order, outermost first:
 * request id → response formatter → error reporter → broken-link reporter → body parser → your routes.
 */
export function stack(options: StackOptions = {}): Stack {
  const { errors: errorOptions = {}, brokenLinks: brokenLinkOptions = {} } = options;
  const [errorParts, linkParts, store] = withSharedParts(errorOptions, brokenLinkOptions);
  const errors = errorParts ? errorReporter(errorParts) : null;
  const brokenLinks = linkParts ? brokenLinkReporter(linkParts) : null;

  const parts: Array<Middleware | null> = [
    options.requestId === false ? null : requestContext(options.requestId),
    options.formatter === false ? null : responseFormatter(options.formatter),
    errors,
    brokenLinks,
    options.bodyParser === false ? null : bodyParser(options.bodyParser),
  ];
  const middleware = compose(parts.filter((p): p is Middleware => p !== null)) as unknown as Stack;
  const reporterList = [errors, brokenLinks].filter((r) => r !== null);

  return Object.assign(middleware, {
    errors,
    brokenLinks,
    store,
    dashboard: (dashboardOptions: DashboardOptions) => dashboard({ store: (store ?? undefined) as IssueStore | undefined, ...dashboardOptions }),
    flush: async () => { await Promise.all(reporterList.map((r) => r.flush())); },
    close: async (timeoutMs?: number) => { await Promise.all(reporterList.map((r) => r.close(timeoutMs))); },
  });
}

type ReporterOptions = ErrorReporterOptions & BrokenLinkReporterOptions;

/**
 * Fills in the environment defaults (MONGODB_URI, SLACK_WEBHOOK_URL) once for both
 * reporters, so they share one MongoDB connection and one Slack queue (Slack's rate
 * limit is per webhook). Each delivery closes its store and notifiers on close; a part
 * used by both reporters is closed by the last of them.
 */
function withSharedParts<E extends ReporterOptions, L extends ReporterOptions>(errors: E | false, links: L | false): [E | null, L | null, Store | null] {
  const both = [errors, links].filter((o): o is E | L => o !== false);
  const envStore = both.some((o) => o.store === undefined) ? storeFromEnv() : null;
  const envNotifiers = both.some((o) => o.notifiers === undefined) ? notifiersFromEnv(loggerOf(errors)) : [];
  const resolve = <T extends ReporterOptions>(o: T) => ({ ...o, store: o.store === undefined ? envStore : o.store, notifiers: o.notifiers ?? envNotifiers });
  const resolved = [errors && resolve(errors), links && resolve(links)];

  const users = new Map<object, number>();
  for (const o of resolved) for (const part of o ? [o.store, ...o.notifiers] : []) if (part) users.set(part, (users.get(part) ?? 0) + 1);
  const share = <T extends Store | Notifier>(part: T): T => (users.get(part)! > 1 ? shared(part, users) : part);
  const [e, l] = resolved.map((o) => o && { ...o, store: o.store && share(o.store), notifiers: o.notifiers.map(share) });
  const store = resolved.map((o) => o && o.store).find((s): s is Store => Boolean(s)) ?? null;
  return [(e || null) as E | null, (l || null) as L | null, store];
}

/** Closes the underlying store or notifier only when its last user closes it. */
function shared<T extends Store | Notifier>(thing: T, users: Map<object, number>): T {
  const close = async () => {
    const left = (users.get(thing) ?? 1) - 1;
    users.set(thing, left);
    if (left === 0) await thing.close?.();
  };
  return new Proxy(thing, {
    get(target, key) {
      if (key === 'close') return close;
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function loggerOf(options: ErrorReporterOptions | false): Logger {
  return (options && options.logger) || consoleLogger;
}
