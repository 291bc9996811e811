// The options both reporters take, declared once: the client they hand reports to (or
// what to make one of), and how their reports are built.
import { Client, clientDefaults, createClient, isClient, type ClientOptions } from '../client/client';
import type { ReportKind } from '../report/Report';
import type { DeliveryStats } from '../delivery/Delivery';
import type { Store } from '../contracts/store';
import { reportOptions, type ReportOptions, type ReportOptionsInput } from '../report/reportOptions';

/** The client-level options a reporter also takes when it makes its own client (no `client` given). */
export const clientKeys = {
  store: clientDefaults.store,
  notifiers: undefined as Extract<ClientOptions['notifiers'], unknown[]> | undefined,
  /** This reporter's kind's alert throttle window (errors 10 min, broken links 24 h). */
  windowMs: undefined as number | undefined,
  /** New groups this reporter's kind may open per hour (500). */
  maxNewGroupsPerHour: undefined as number | undefined,
  delivery: undefined as ClientOptions['delivery'],
  logger: undefined as ClientOptions['logger'],
};

/** How reports are built (lib/report/options.ts checks the values). */
const reportKeys = {
  /** Default NODE_ENV, else 'development'. */
  environment: undefined as ReportOptionsInput['environment'],
  /** Default TRIPWIRE_RELEASE, else the git commit; null: none. */
  release: undefined as ReportOptionsInput['release'],
  getUser: undefined as ReportOptionsInput['getUser'],
  fingerprint: undefined as ReportOptionsInput['fingerprint'],
  filter: undefined as ReportOptionsInput['filter'],
  limits: undefined as ReportOptionsInput['limits'],
};

export const reporterDefaults = {
  /**
   * The client reports go to: the stack's, or one made with `createClient()` and given to
   * both reporters composed by hand. Without it the reporter makes its own client from
   * the client-level options below.
   */
  client: undefined as Client | undefined,
  ...clientKeys,
  ...reportKeys,
};

export interface ReporterParts {
  client: Client;
  report: ReportOptions;
  /** Whether the reporter made the client (and so closes it); a client given is closed by its owner. */
  ownsClient: boolean;
}

/** The client (given, or made of the client-level options) and the report options. */
export function reporterParts(where: string, kind: ReportKind, options: Partial<typeof reporterDefaults>): ReporterParts {
  const { client, store, notifiers, windowMs, maxNewGroupsPerHour, delivery, logger, ...reportInput } = options;
  const report = reportOptions(reportInput);
  if (client !== undefined) {
    if (!isClient(client)) throw new TypeError(`${where}: \`client\` must be a client made by createClient()`);
    const misplaced = Object.entries({ store, notifiers, windowMs, maxNewGroupsPerHour, delivery, logger }).find(([, value]) => value !== undefined);
    if (misplaced) throw new TypeError(`${where}: \`${misplaced[0]}\` belongs to the client: pass it to createClient(), not to a reporter given \`client\``);
    return { client, report, ownsClient: false };
  }
  const made = createClient({
    store,
    notifiers,
    ...(windowMs === undefined ? {} : { windowMs: { [kind]: windowMs } }),
    ...(maxNewGroupsPerHour === undefined ? {} : { maxNewGroupsPerHour: { [kind]: maxNewGroupsPerHour } }),
    delivery,
    logger,
  });
  return { client: made, report, ownsClient: true };
}

/** What both reporters expose besides being middleware. */
export interface ReporterSurface {
  /** The client reports go to: the one given, or the reporter's own. */
  readonly client: Client;
  flush(): Promise<void>;
  /** Closes the client when the reporter made it; a client given is closed by its owner. */
  close(timeoutMs?: number): Promise<void>;
  /** The client's delivery counters (accepted, folded, stored, outboxed, replayed, dropped, alerts…). */
  readonly stats: DeliveryStats;
  /** The store reports go to, or null. */
  readonly store: Store | null;
}

/** Gives the reporter's middleware its surface over its parts. */
export function withReporterSurface<M extends object>(middleware: M, { client, ownsClient }: ReporterParts): M & ReporterSurface {
  return Object.defineProperties(middleware, {
    client: { value: client, enumerable: true },
    store: { value: client.store, enumerable: true },
    stats: { get: () => client.stats, enumerable: true },
    flush: { value: () => client.flush() },
    close: { value: (timeoutMs?: number) => (ownsClient ? client.close(timeoutMs) : Promise.resolve()) },
  }) as M & ReporterSurface;
}
