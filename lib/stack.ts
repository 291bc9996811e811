import type { Middleware } from 'koa';
import { declaredOptions, type OptionsOf } from './core/options';
import compose from 'koa-compose';
import { consoleLogger } from './core/logger';
import { isRecord } from './core/objects';
import { Client, createClient, isClient, type ClientOptions } from './client/client';
import { dashboard, type DashboardOptions } from './dashboard/dashboard';
import type { IssueStore } from './contracts/issueStore';
import type { Store } from './contracts/store';
import { bodyParser, type BodyParserOptions } from './middleware/bodyParser';
import { brokenLinkReporter, type BrokenLinkReporter, type BrokenLinkReporterOptions } from './brokenLinks/brokenLinkReporter';
import { errorReporter, type ErrorReporter, type ErrorReporterOptions } from './middleware/errorReporter';
import { mountCheck } from './middleware/mountCheck';
import { rejectUseWithoutCall } from './core/factoryMisuse';
import { clientKeys } from './middleware/reporterOptions';
import { requestContext, type RequestContextOptions } from './middleware/requestContext';
import { responseFormatter, type ResponseFormatterOptions } from './envelope/responseFormatter';

/** Each part takes its own options, or `false` to leave it out. */
const stackDefaults = {
  /**
   * The client both reporters hand reports to (`createClient()`), when the app shares it
   * with parts outside the stack. Default: the stack makes one from the client-level
   * options of `errors` and `brokenLinks` (store, notifiers, windowMs, maxNewGroupsPerHour,
   * delivery, logger) and closes it in `close()`.
   */
  client: undefined as Client | undefined,
  requestId: undefined as RequestContextOptions | false | undefined,
  formatter: undefined as ResponseFormatterOptions | false | undefined,
  errors: undefined as ErrorReporterOptions | false | undefined,
  brokenLinks: undefined as BrokenLinkReporterOptions | false | undefined,
  bodyParser: undefined as BodyParserOptions | false | undefined,
};

export type StackOptions = OptionsOf<typeof stackDefaults>;

export interface Stack extends Middleware {
  /** Resolves once every report accepted so far is delivered or given up. */
  flush(): Promise<void>;
  /**
   * Flushes until the deadline, parks the rest in the outbox, and closes the stack's
   * client (its store and notifiers, once each); holds the process open meanwhile,
   * never past `timeoutMs`. A client given in `client` is its owner's to close.
   */
  close(timeoutMs?: number): Promise<void>;
  readonly errors: ErrorReporter | null;
  readonly brokenLinks: BrokenLinkReporter | null;
  /** The one client of the stack (null with both reporters left out). */
  readonly client: Client | null;
  /** The store the reporters write to (the environment's default when none was given), or null. */
  readonly store: Store | null;
  /** The issues dashboard reading this stack's store: `app.use(tripwire.dashboard({ auth }))`. */
  dashboard(options: DashboardOptions): Middleware;
}

type Slot = Partial<Record<keyof typeof clientKeys, unknown>> & Record<string, unknown>;

/**
 * The whole suite in its documented order, outermost first, composed with koa-compose:
 * request id → response formatter → error reporter → broken-link reporter → body parser → your routes.
 * Both reporters share one client: one store, one set of notifiers, one delivery.
 */
export function stack(options: StackOptions = {}): Stack {
  // A second argument is Koa's `next`: the factory itself was mounted.
  rejectUseWithoutCall('stack', options, arguments[1]);
  const { client: given, errors: errorSlot = {}, brokenLinks: linkSlot = {}, ...parts } = declaredOptions('stack', stackDefaults, options);
  if (given !== undefined && !isClient(given)) throw new TypeError('stack: `client` must be a client made by createClient()');
  // The parts that hold nothing open first, so a refused option there leaves no connection behind.
  const outer = [
    parts.requestId === false ? null : requestContext(parts.requestId),
    parts.formatter === false ? null : responseFormatter(parts.formatter),
  ];
  const inner = parts.bodyParser === false ? null : bodyParser(parts.bodyParser);
  const slots = Object.entries({ errors: errorSlot, brokenLinks: linkSlot }).map(([name, slot]) => {
    if (slot === false) return false;
    if (!isRecord(slot)) throw new TypeError(`stack: \`${name}\` must be the reporter's options object, or false to leave it out`);
    return { ...slot } as Slot;
  });
  const client = given ?? (slots.some((s) => s !== false) ? createClient(clientOptionsOf(slots[0], slots[1])) : null);
  let errors: ErrorReporter | null;
  let brokenLinks: BrokenLinkReporter | null;
  try {
    // With a client given, its options in a slot are the reporter's to refuse (they would be ignored).
    const own = (slot: Slot) => ({ ...(given ? slot : reporterSlot(slot)), client: client! });
    errors = slots[0] === false ? null : errorReporter(own(slots[0]) as ErrorReporterOptions);
    brokenLinks = slots[1] === false ? null : brokenLinkReporter(own(slots[1]) as BrokenLinkReporterOptions);
  } catch (refused) {
    // A refused reporter option must not leave the client the stack made open behind it.
    if (!given) void client?.close(0);
    throw refused;
  }
  const logger = client?.logger ?? consoleLogger;
  const composed = compose([...outer, errors, brokenLinks, inner].filter((p): p is Middleware => p !== null));
  const checkMount = mountCheck(logger);
  const middleware = function tripwire(ctx, next) {
    checkMount(ctx, middleware);
    return composed(ctx, next);
  } as Stack;
  const store = client?.store ?? null;
  return Object.assign(middleware, {
    errors,
    brokenLinks,
    client,
    store,
    // Triage records the release the reporters stamp, so a resolve knows what "fixed in" means.
    dashboard: (dashboardOptions: DashboardOptions) => dashboard({ store: issueStoreOf(store), ...(errors ? { release: errors.release } : {}), ...dashboardOptions }),
    flush: async () => { await client?.flush(); },
    close: async (timeoutMs?: number) => { if (!given) await client?.close(timeoutMs); },
  });
}

/**
 * The client options the two slots give together: one store and one logger (the same
 * store given to both is one store), a delivery, and per kind the notifiers, the alert
 * window and the new-group budget.
 */
function clientOptionsOf(errors: Slot | false, links: Slot | false): ClientOptions {
  const e: Slot = isRecord(errors) ? errors : {};
  const l: Slot = isRecord(links) ? links : {};
  if (e.store !== undefined && l.store !== undefined && e.store !== l.store) {
    throw new TypeError('stack: `errors.store` and `brokenLinks.store` differ; a stack has one store: give it once, or compose the reporters by hand with a client each');
  }
  const perKind = (key: 'notifiers' | 'windowMs' | 'maxNewGroupsPerHour') =>
    e[key] === undefined && l[key] === undefined ? undefined : { error: e[key], 'broken-link': l[key] };
  return {
    // An explicit null (no store) is a choice, not a missing value.
    store: (e.store !== undefined ? e.store : l.store) as ClientOptions['store'],
    notifiers: perKind('notifiers') as ClientOptions['notifiers'],
    windowMs: perKind('windowMs') as ClientOptions['windowMs'],
    maxNewGroupsPerHour: perKind('maxNewGroupsPerHour') as ClientOptions['maxNewGroupsPerHour'],
    delivery: (e.delivery || l.delivery ? { ...(l.delivery as object), ...(e.delivery as object) } : undefined) as ClientOptions['delivery'],
    logger: (e.logger !== undefined ? e.logger : l.logger) as ClientOptions['logger'],
  };
}

/** A slot without its client-level options (given to the stack's client instead). */
function reporterSlot(slot: Slot): Slot {
  const rest: Slot = { ...slot };
  for (const key of Object.keys(clientKeys)) delete rest[key];
  return rest;
}

/** The store as the dashboard's port, when it implements it (MongoStore does). */
function issueStoreOf(store: Store | null): IssueStore | undefined {
  const candidate = store as (Store & Partial<IssueStore>) | null;
  return typeof candidate?.listIssues === 'function' ? (candidate as IssueStore) : undefined;
}
