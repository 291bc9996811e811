import type { Middleware } from 'koa';
import { consoleLogger } from './core/logger';
import { rejectUnknownKeys } from './core/options';
import { shareClose } from './middleware/environmentDefaults';
import { dashboard, type DashboardOptions } from './dashboard/dashboard';
import type { IssueStore } from './ports';
import { bodyParser, type BodyParserOptions } from './middleware/bodyParser';
import { brokenLinkReporter, type BrokenLinkReporter, type BrokenLinkReporterOptions } from './middleware/brokenLinkReporter';
import { errorReporter, type ErrorReporter, type ErrorReporterOptions } from './middleware/errorReporter';
import { composeParts } from './middleware/parts';
import { mountCheck } from './middleware/mountCheck';
import { rejectUseWithoutCall } from './middleware/factoryMisuse';
import { requestContext, type RequestContextOptions } from './middleware/requestContext';
import { responseFormatter, type ResponseFormatterOptions } from './envelope/responseFormatter';
import type { Notifier, Store } from './ports';

/** Each part takes its own options, or `false` to leave it out. */
export interface StackOptions {
  requestId?: RequestContextOptions | false;
  formatter?: ResponseFormatterOptions | false;
  errors?: ErrorReporterOptions | false;
  brokenLinks?: BrokenLinkReporterOptions | false;
  bodyParser?: BodyParserOptions | false;
}

const STACK_KEYS: ReadonlyArray<keyof StackOptions> = ['requestId', 'formatter', 'errors', 'brokenLinks', 'bodyParser'];

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
 * The environment defaults (MONGODB_URI, SLACK_WEBHOOK_URL) come from lib/middleware/environmentDefaults.ts,
 * shared by both reporters.
 */
export function stack(options: StackOptions = {}): Stack {
  // A second argument is Koa's `next`: the factory itself was mounted.
  rejectUseWithoutCall('stack', options, arguments[1]);
  rejectUnknownKeys('stack', options, STACK_KEYS);
  const { errors: errorOptions = {}, brokenLinks: brokenLinkOptions = {} } = options;
  // The parts that hold nothing open first, so a refused option there leaves no connection behind.
  const outer = [
    options.requestId === false ? null : requestContext(options.requestId),
    options.formatter === false ? null : responseFormatter(options.formatter),
  ];
  const inner = options.bodyParser === false ? null : bodyParser(options.bodyParser);
  const [errorParts, linkParts] = shareExplicitParts(errorOptions, brokenLinkOptions);
  const errors = errorParts ? errorReporter(errorParts) : null;
  const brokenLinks = closingOnRefusal(errors, () => (linkParts ? brokenLinkReporter(linkParts) : null));
  const logger = (errorOptions && errorOptions.logger) || (brokenLinkOptions && brokenLinkOptions.logger) || consoleLogger;

  const parts = [...outer, errors, brokenLinks, inner].filter((p): p is Middleware => p !== null);
  // One async frame for the whole stack (see middleware/parts.ts), not one per part.
  const composed = composeParts(parts);
  // The mount check reads app.middleware on the first request only; dropping it then
  // leaves every later request one null test instead of a call.
  let checkMount: ReturnType<typeof mountCheck> | null = mountCheck(logger);
  const middleware = function tripwire(ctx, next) {
    if (checkMount !== null) {
      const check = checkMount;
      checkMount = null;
      check(ctx, middleware);
    }
    return composed(ctx, next);
  } as Stack;
  const reporterList = [errors, brokenLinks].filter((r) => r !== null);
  const store = errors?.store ?? brokenLinks?.store ?? null;

  return Object.assign(middleware, {
    errors,
    brokenLinks,
    store,
    dashboard: (dashboardOptions: DashboardOptions) => dashboard({ store: (store ?? undefined) as IssueStore | undefined, ...dashboardOptions }),
    flush: async () => { await Promise.all(reporterList.map((r) => r.flush())); },
    close: async (timeoutMs?: number) => { await Promise.all(reporterList.map((r) => r.close(timeoutMs))); },
  });
}

/** Builds with `make`; if it throws (a refused option), closes what was already built. */
function closingOnRefusal<T>(built: { close(timeoutMs?: number): Promise<unknown> } | null, make: () => T): T {
  try {
    return make();
  } catch (refused) {
    void built?.close(0).catch(() => undefined);
    throw refused;
  }
}

type ReporterOptions = ErrorReporterOptions & BrokenLinkReporterOptions;

/**
 * A store or notifier the app gave to both reporters is closed once, by the last of
 * them to close (each delivery closes its store and notifiers). The environment
 * defaults are shared the same way by lib/middleware/environmentDefaults.ts.
 */
function shareExplicitParts<E extends ReporterOptions, L extends ReporterOptions>(errors: E | false, links: L | false): [E | null, L | null] {
  const users = new Map<Store | Notifier, number>();
  for (const o of [errors, links]) {
    if (!o || typeof o !== 'object') continue;
    for (const part of [o.store, ...(Array.isArray(o.notifiers) ? o.notifiers : [])]) if (part) users.set(part, (users.get(part) ?? 0) + 1);
  }
  const share = <T extends Store | Notifier>(part: T): T => {
    if (!part || users.get(part)! < 2) return part;
    return shareClose(part, async (timeoutMs?: number) => {
      const left = users.get(part)! - 1;
      users.set(part, left);
      if (left === 0) await part.close?.(timeoutMs);
    });
  };
  const resolve = <T extends ReporterOptions>(o: T | false): T | null => {
    if (o === false) return null;
    if (!o || typeof o !== 'object') return o;
    const shared = { ...o };
    if (o.store) shared.store = share(o.store);
    if (Array.isArray(o.notifiers)) shared.notifiers = o.notifiers.map(share);
    return shared;
  };
  return [resolve(errors), resolve(links)];
}
