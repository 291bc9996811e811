// The defaults the reporters take from the environment, in one place: a store on
// MONGODB_URI, a notifier per variable set (else the console). Each is made once per
// value and shared by every reporter of the process that asked for it, so two reporters
// (in one stack() or composed by hand) get one MongoDB connection and one Slack queue
// (Slack's rate limit is per webhook); the last user to close it closes it.
import { ConsoleNotifier } from '../notifiers/console/ConsoleNotifier';
import { SlackNotifier } from '../notifiers/slack/SlackNotifier';
import { MongoStore } from '../stores/mongo/MongoStore';
import type { Logger } from '../core/logger';
import type { Notifier, Store } from '../ports';

type Part = Store | Notifier;

interface Default<T extends Part> {
  variable: string;
  create: (value: string, logger: Logger) => T;
}

/** The store used when a reporter is given none (`store: undefined`). */
const STORE: Default<Store> = { variable: 'MONGODB_URI', create: (uri) => new MongoStore({ uri }) };

/** The notifiers used when a reporter is given none: every one whose variable is set. Adding one is one line. */
const NOTIFIERS: ReadonlyArray<Default<Notifier>> = [
  { variable: 'SLACK_WEBHOOK_URL', create: (webhookUrl, logger) => new SlackNotifier({ webhookUrl, logger }) },
];

/** The variables read, for documentation and for specs that must run without them. */
export const ENVIRONMENT_VARIABLES: readonly string[] = [STORE.variable, ...NOTIFIERS.map((d) => d.variable)];

interface Entry { part: Part; users: number }
const made = new Map<string, Entry>();

/** The default store, shared, or null when MONGODB_URI is unset. */
export function storeFromEnvironment(logger: Logger, env: NodeJS.ProcessEnv = process.env): Store | null {
  return acquire(STORE, logger, env);
}

/** The default notifiers, shared; the console when no notifier variable is set. */
export function notifiersFromEnvironment(logger: Logger, env: NodeJS.ProcessEnv = process.env): Notifier[] {
  const notifiers = NOTIFIERS.map((d) => acquire(d, logger, env)).filter((n): n is Notifier => n !== null);
  // The console notifier holds nothing open; each reporter gets its own, with its logger.
  return notifiers.length ? notifiers : [new ConsoleNotifier({ logger })];
}

function acquire<T extends Part>(d: Default<T>, logger: Logger, env: NodeJS.ProcessEnv): T | null {
  const value = env[d.variable]?.trim();
  if (!value) return null;
  const key = `${d.variable}=${value}`;
  let entry = made.get(key);
  if (!entry) {
    entry = { part: d.create(value, logger), users: 0 };
    made.set(key, entry);
  }
  entry.users += 1;
  return sharedHandle(entry.part as T, entry, key);
}

/**
 * The part as one user sees it: closing it releases this user's hold, and closes the
 * part (and forgets it, so a later reporter makes a fresh one) when it was the last.
 */
function sharedHandle<T extends Part>(part: T, entry: Entry, key: string): T {
  let released = false;
  const close = async (timeoutMs?: number) => {
    if (released) return;
    released = true;
    entry.users -= 1;
    if (entry.users > 0) return;
    if (made.get(key) === entry) made.delete(key);
    await part.close?.(timeoutMs);
  };
  return shareClose(part, close);
}

/** A view of `part` whose close() is `close`; every other member is the part's own. */
export function shareClose<T extends Part>(part: T, close: (timeoutMs?: number) => Promise<void>): T {
  return new Proxy(part, {
    get(target, key) {
      if (key === 'close') return close;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
