// The composition root: one client per stack owns the store, the notifiers and ONE
// delivery (one queue, one outbox folder for both kinds, one worker, one replayer), and
// closes each of them exactly once. Both reporters and the dashboard take it. Modelled
// on Sentry's client (getsentry/sentry-javascript packages/core/src/client.ts), which
// owns one transport that every integration sends through.
import { REPORT_KINDS, type PerKind, type Report, type ReportKind } from '../report/Report';
import { declaredOptions, rejectUnknownKeys, withDefaults, type OptionsOf } from '../core/options';
import type { Notifier } from '../contracts/notifier';
import type { Store } from '../contracts/store';
import { consoleLogger, type Logger } from '../core/logger';
import { Delivery, type DeliveryOptions, type DeliveryStats } from '../delivery/Delivery';
import { perKindSetting } from '../delivery/deliveryOptions';
import type { Enrich } from '../delivery/enrichment';
import { defaultNotifiers, defaultStore } from './environmentDefaults';
import { onlyKinds } from '../notifiers/kindRoute';

/** Queue, outbox and retry settings of the client's delivery. */
export type DeliveryTuning = Partial<Omit<DeliveryOptions, 'store' | 'notifiers' | 'windowMs' | 'logger' | 'name' | 'maxNewGroupsPerHour'>>;

export const clientDefaults = {
  /** Where reports are kept. Undefined: the environment's (environmentDefaults.ts `defaultStore`); null: nowhere (notifiers only). */
  store: undefined as Store | null | undefined,
  /** Who is told, for both kinds or per kind. Undefined: Slack on SLACK_WEBHOOK_URL when set, else the console. */
  notifiers: undefined as PerKind<Notifier[]> | undefined,
  /**
   * Alert once per group per window; later occurrences are counted and sent as one digest.
   * Default (Delivery's): 10 min for errors, 24 h for broken links.
   */
  windowMs: undefined as PerKind<number> | undefined,
  /**
   * New groups each kind may open per hour; past it the store counts them in one overflow
   * group per kind. Default (Delivery's): 500 each.
   */
  maxNewGroupsPerHour: undefined as PerKind<number> | undefined,
  /** Queue, outbox and retry settings of the one delivery. */
  delivery: {} as DeliveryTuning,
  logger: consoleLogger as Logger,
};

export type ClientOptions = OptionsOf<typeof clientDefaults>;

/**
 * What reporters hand reports to. `offer` and `accept` never throw, never wait and do no
 * I/O; `close` ends the delivery, then the notifiers and the store, once.
 */
export class Client {
  readonly store: Store | null;
  /** The notifiers as given (or made from the environment), each closed once by `close()`. */
  readonly notifiers: readonly Notifier[];
  readonly logger: Logger;
  private readonly delivery: Delivery;
  private readonly enrichers = new Map<ReportKind, Enrich>();

  constructor(options: ClientOptions = {}) {
    const settings = withDefaults(clientDefaults, declaredOptions('createClient', clientDefaults, options));
    const { logger, delivery: tuning } = settings;
    if (tuning === null || typeof tuning !== 'object') throw new TypeError('createClient: `delivery` must be an object of delivery settings');
    // Delivery's rule, read here too so that a refusal names createClient.
    const windowMs = perKindSetting('createClient', 'windowMs', settings.windowMs);
    const maxNewGroupsPerHour = perKindSetting('createClient', 'maxNewGroupsPerHour', settings.maxNewGroupsPerHour);
    // Parts the app gave are checked before any default is made, so a refusal leaves nothing open.
    const store = settings.store === undefined ? defaultStore(logger) : settings.store;
    let routed: { all: Notifier[]; routed: Notifier[] };
    try {
      routed = routeNotifiers(settings.notifiers, () => defaultNotifiers(logger));
      this.delivery = new Delivery({
        ...tuning,
        store,
        notifiers: routed.routed,
        windowMs,
        maxNewGroupsPerHour,
        logger,
        enrich: tuning.enrich ?? ((report) => this.enrich(report)),
      });
    } catch (refused) {
      if (settings.store === undefined) void store?.close?.().catch(() => undefined);
      throw refused;
    }
    this.store = store;
    this.notifiers = routed.all;
    this.logger = logger;
  }

  /** The delivery counters (accepted, folded, stored, outboxed, replayed, dropped, alerts…), for monitoring. */
  get stats(): DeliveryStats {
    return this.delivery.stats;
  }

  /** A report not built yet, counted under `group` (null: not rate limited); see Delivery.offer. */
  offer(kind: ReportKind, group: string | null, build: () => Report): void {
    this.delivery.offer(kind, group, build);
  }

  /** A report already built (`captureException`). */
  accept(report: Report): void {
    this.delivery.accept(report);
  }

  /**
   * Adds a step, for reports of `kind`, run by the worker before saving (the error
   * reporter's source context). A `delivery.enrich` given to the client replaces them all.
   */
  enrichReports(kind: ReportKind, enrich: Enrich): void {
    this.enrichers.set(kind, enrich);
  }

  /** Resolves once every report accepted so far is delivered or given up. */
  flush(): Promise<void> {
    return this.delivery.flush();
  }

  /**
   * Flushes until the deadline, parks the rest in the outbox, then closes the notifiers
   * and the store, each once, however many reporters share this client. Holds the
   * process open until it resolves, never past `timeoutMs`; never rejects.
   */
  close(timeoutMs?: number): Promise<void> {
    return this.delivery.close(timeoutMs);
  }

  private enrich(report: Report): Report | Promise<Report> {
    const enrich = this.enrichers.get(report.kind);
    return enrich ? enrich(report) : report;
  }
}

/** One client for a stack, or for reporters composed by hand that share it: `createClient({ store, notifiers })`. */
export function createClient(options: ClientOptions = {}): Client {
  return new Client(options);
}

export function isClient(value: unknown): value is Client {
  return value instanceof Client;
}

/**
 * The notifiers every kind goes to, or one list per kind: a notifier listed for one kind
 * only is given to delivery routed to that kind (lib/notifiers/kindRoute.ts), still
 * through its own pipeline and settings. Each notifier appears once
 * whatever the number of kinds it serves, so delivery closes it once. The defaults are
 * made once, only if a kind has no list.
 */
function routeNotifiers(given: PerKind<Notifier[]> | undefined, defaults: () => Notifier[]): { all: Notifier[]; routed: Notifier[] } {
  if (given === undefined || Array.isArray(given)) {
    const all = given ?? defaults();
    return { all, routed: all };
  }
  if (given === null || typeof given !== 'object') throw new TypeError('createClient: `notifiers` must be an array of Notifiers, or { error, \'broken-link\' } arrays');
  rejectUnknownKeys('createClient notifiers', given, REPORT_KINDS);
  let made: Notifier[] | null = null;
  const kindsOf = new Map<Notifier, Set<ReportKind>>();
  for (const kind of REPORT_KINDS) {
    const list = given[kind] ?? (made ??= defaults());
    if (!Array.isArray(list)) throw new TypeError(`createClient: \`notifiers.${kind}\` must be an array of Notifiers`);
    for (const notifier of list) kindsOf.set(notifier, (kindsOf.get(notifier) ?? new Set()).add(kind));
  }
  const all = [...kindsOf.keys()];
  const routed = all.map((notifier) => {
    const kinds = kindsOf.get(notifier)!;
    return kinds.size === REPORT_KINDS.length ? notifier : onlyKinds(notifier, kinds);
  });
  return { all, routed };
}
