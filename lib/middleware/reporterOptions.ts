// The options both reporters take, and what they turn into: report options and a
// delivery pipeline, with the environment defaults of lib/middleware/environmentDefaults.ts.
import { Delivery, type DeliveryOptions } from '../delivery/Delivery';
import { consoleLogger } from '../core/logger';
import { rejectUnknownKeys } from '../core/options';
import type { Logger } from '../core/logger';
import type { Notifier, Store } from '../ports';
import { notifiersFromEnvironment, storeFromEnvironment } from './environmentDefaults';
import { reportOptions, type ReportOptions, type ReportOptionsInput } from '../report/options';

export interface ReporterOptions extends ReportOptionsInput {
  /** Where reports are kept. Default: a MongoStore on MONGODB_URI when set; `null`: nowhere (notifiers only). */
  store?: Store | null;
  /** Who is told. Default: Slack on SLACK_WEBHOOK_URL when set, else the console. */
  notifiers?: Notifier[];
  /** Alert once per group per window; later occurrences are counted and sent as one digest. */
  windowMs?: number;
  /** Queue, outbox and retry settings of the delivery worker. */
  delivery?: Partial<Omit<DeliveryOptions, 'store' | 'notifiers' | 'windowMs' | 'logger' | 'name'>>;
  logger?: Logger;
}

/** Every key of ReporterOptions, for rejectUnknownKeys (a misspelt `windowMS` must not be ignored). */
export const REPORTER_OPTION_KEYS: readonly string[] = [
  'store', 'notifiers', 'windowMs', 'delivery', 'logger',
  'environment', 'release', 'getUser', 'fingerprint', 'filter', 'limits',
];

export interface ReporterParts {
  report: ReportOptions;
  delivery: Delivery;
  /** The store the delivery writes to (the environment's default when none was given), or null. */
  store: Store | null;
}

/** Checks the keys (the reporter's own plus the shared ones), then builds the parts. */
export function checkReporterKeys(where: string, options: object, ownKeys: readonly string[]): void {
  if (options === null || typeof options !== 'object') throw new TypeError(`${where}: options must be an object`);
  rejectUnknownKeys(where, options, [...ownKeys, ...REPORTER_OPTION_KEYS]);
}

export function reporterParts(name: string, options: ReporterOptions, defaultWindowMs: number): ReporterParts {
  const { store, notifiers, delivery, windowMs, logger = consoleLogger, ...reportInput } = options;
  const report = reportOptions(reportInput);
  const envStore = store === undefined ? storeFromEnvironment(logger) : null;
  const envNotifiers = notifiers === undefined ? notifiersFromEnvironment(logger) : [];
  const resolvedStore = store === undefined ? envStore : store;
  try {
    return {
      report,
      store: resolvedStore,
      delivery: new Delivery({
        ...delivery,
        name,
        store: resolvedStore,
        notifiers: notifiers ?? envNotifiers,
        windowMs: windowMs ?? defaultWindowMs,
        logger,
      }),
    };
  } catch (misconfigured) {
    // A refused option must not leave a default connection open behind it.
    for (const part of [envStore, ...envNotifiers]) void part?.close?.().catch(() => undefined);
    throw misconfigured;
  }
}
