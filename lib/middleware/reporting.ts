// What the two reporters share: turning their options into report options and a
// delivery pipeline, with the environment-driven defaults stack() documents.
import { Delivery, type DeliveryOptions } from '../delivery/Delivery';
import { consoleLogger } from '../core/logger';
import { ConsoleNotifier } from '../notifiers/ConsoleNotifier';
import type { Logger } from '../core/logger';
import type { Notifier } from '../delivery/ports';
import { SlackNotifier } from '../notifiers/SlackNotifier';
import { reportOptions, type ReportOptions, type ReportOptionsInput } from '../report/options';
import { MongoStore } from '../stores/mongo/MongoStore';
import type { Store } from '../delivery/ports';

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

export interface ReporterParts {
  report: ReportOptions;
  delivery: Delivery;
}

export function reporterParts(name: string, options: ReporterOptions, defaultWindowMs: number): ReporterParts {
  const { store, notifiers, delivery, windowMs, logger = consoleLogger, ...reportInput } = options;
  const report = reportOptions(reportInput);
  return {
    report,
    delivery: new Delivery({
      ...delivery,
      name,
      store: store === undefined ? storeFromEnv() : store,
      notifiers: notifiers ?? notifiersFromEnv(logger),
      windowMs: windowMs ?? defaultWindowMs,
      logger,
    }),
  };
}

export function storeFromEnv(env: NodeJS.ProcessEnv = process.env): Store | null {
  return env.MONGODB_URI ? new MongoStore({ uri: env.MONGODB_URI }) : null;
}

export function notifiersFromEnv(logger: Logger = consoleLogger, env: NodeJS.ProcessEnv = process.env): Notifier[] {
  const slack = SlackNotifier.fromEnv(env, { logger });
  return [slack ?? new ConsoleNotifier({ logger })];
}
