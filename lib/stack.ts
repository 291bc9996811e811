import type { Middleware } from 'koa';
import compose from 'koa-compose';
import { consoleLogger } from './logger';
import { bodyParser, type BodyParserOptions } from './middleware/bodyParser';
import { brokenLinkReporter, type BrokenLinkReporter, type BrokenLinkReporterOptions } from './middleware/brokenLinkReporter';
import { errorReporter, type ErrorReporter, type ErrorReporterOptions } from './middleware/errorReporter';
import { notifiersFromEnv, storeFromEnv } from './middleware/reporting';
import { requestContext, type RequestContextOptions } from './middleware/requestContext';
import { responseFormatter, type ResponseFormatterOptions } from './middleware/responseFormatter';
import type { Notifier } from './notifiers/Notifier';
import type { Store } from './stores/Store';

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
}

/**
 * The whole suite in its documented order, outermost first:
 * request id → response formatter → error reporter → broken-link reporter → body parser → your routes.
 */
export function stack(options: StackOptions = {}): Stack {
  const { errors: errorOptions = {}, brokenLinks: brokenLinkOptions = {} } = options;
  const reporters = [errorOptions, brokenLinkOptions].filter((o): o is ErrorReporterOptions => o !== false);

  // The two reporters share one MongoDB connection and one Slack queue (Slack's rate
  // limit is per webhook) when both take them from the environment.
  const envStore = reporters.some((o) => o.store === undefined) ? storeFromEnv() : null;
  const envNotifiers = reporters.some((o) => o.notifiers === undefined) ? notifiersFromEnv(errorOptions ? errorOptions.logger ?? consoleLogger : consoleLogger) : [];
  const store = envStore && shared(envStore, reporters.filter((o) => o.store === undefined).length);
  const notifiers = envNotifiers.map((n) => shared(n, reporters.filter((o) => o.notifiers === undefined).length));

  const withDefaults = <T extends ErrorReporterOptions>(o: T): T => ({
    ...o,
    store: o.store === undefined ? store : o.store,
    notifiers: o.notifiers ?? notifiers,
  });
  const errors = errorOptions === false ? null : errorReporter(withDefaults(errorOptions));
  const brokenLinks = brokenLinkOptions === false ? null : brokenLinkReporter(withDefaults(brokenLinkOptions));

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
    flush: async () => { await Promise.all(reporterList.map((r) => r.flush())); },
    close: async (timeoutMs?: number) => { await Promise.all(reporterList.map((r) => r.close(timeoutMs))); },
  });
}

/** Closes the underlying store or notifier only when its last user closes it. */
function shared<T extends Store | Notifier>(thing: T, users: number): T {
  let open = users;
  const close = async () => {
    open -= 1;
    if (open === 0) await thing.close?.();
  };
  return new Proxy(thing, {
    get(target, key) {
      if (key === 'close') return close;
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
