// What a client takes from the environment when it is given no store or no notifiers:
// plain factories, called once by the one client of a stack (lib/client/client.ts), which then
// owns and closes what they made. Two reporters composed by hand share it by sharing
// the client (docs/delivery.md), not through this file.
import { ConsoleNotifier } from '../notifiers/console/ConsoleNotifier';
import { SlackNotifier } from '../notifiers/slack/SlackNotifier';
import { MemoryStore } from '../stores/memory/MemoryStore';
import { MongoStore } from '../stores/mongo/MongoStore';
import type { Logger } from '../core/logger';
import type { Notifier } from '../contracts/notifier';
import type { Store } from '../contracts/store';

/** The notifiers made when a client is given none: one for every variable set. Adding one is one line. */
const NOTIFIERS: ReadonlyArray<{ variable: string; create: (value: string, logger: Logger) => Notifier }> = [
  { variable: 'SLACK_WEBHOOK_URL', create: (webhookUrl, logger) => new SlackNotifier({ webhookUrl, logger }) },
];

/** The variables read, for documentation and for specs that must run without them. */
export const ENVIRONMENT_VARIABLES: readonly string[] = ['MONGODB_URI', ...NOTIFIERS.map((d) => d.variable)];

/**
 * The store a client makes when given none: the one place that choice is made. A
 * MongoStore on MONGODB_URI (production); without it, a bounded MemoryStore (development).
 */
export function defaultStore(logger: Logger, env: NodeJS.ProcessEnv = process.env): Store {
  const uri = env.MONGODB_URI?.trim();
  if (uri) return new MongoStore({ uri, logger });
  // With no database, reports live in memory (bounded) so the dashboard works in development.
  return new MemoryStore();
}

/** The notifiers a client makes when given none: one per variable set, else the console. */
export function defaultNotifiers(logger: Logger, env: NodeJS.ProcessEnv = process.env): Notifier[] {
  const notifiers: Notifier[] = [];
  for (const { variable, create } of NOTIFIERS) {
    const value = env[variable]?.trim();
    if (value) notifiers.push(create(value, logger));
  }
  return notifiers.length ? notifiers : [new ConsoleNotifier({ logger })];
}
