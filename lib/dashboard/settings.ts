// The dashboard's options, declared once: the defaults object gives the known keys, and
// every value is checked at startup with a message that names the fix.
import { isClock, realClock, type Clock } from '../core/clock';
import { isLogger, consoleLogger, type Logger } from '../core/logger';
import { rejectUnknownKeys } from '../core/options';
import type { IssueStore } from '../contracts/issueStore';
import type { AuthOption } from './auth';
import type { DashboardSettings } from './view';

export interface DashboardOptions {
  /** Where it is served (default '/_tripwire'), relative to where the middleware runs (koa-mount strips its own prefix). */
  mount?: string;
  /**
   * Required. `{ username, password }` for HTTP Basic, or `(ctx) => boolean | { user } | Promise<…>`
   * to use the app's own login; `false` only on purpose (the pages show request data and
   * let anyone resolve or ignore issues).
   */
  auth?: AuthOption;
  /** Where issues are read and triaged. `tripwire.dashboard()` passes the stack's own. */
  store?: IssueStore;
  /** Shown in the page header and the Basic realm, e.g. the app's name. */
  title?: string;
  /** Rows per page on the lists. */
  perPage?: number;
  /** The app's release now, recorded with each status change (`resolvedIn`); default TRIPWIRE_RELEASE. */
  release?: string | null;
  /** A secret (24+ characters) scripts send as `Authorization: Bearer …` to the JSON API; null: no token. */
  apiToken?: string | null;
  /** Failed Basic logins allowed per window, per client IP and in all; then 429 until the window passes. */
  loginThrottle?: { perIp?: number; overall?: number; windowMs?: number };
  logger?: Logger;
  /** Time for the login throttle; the real clock by default. */
  clock?: Clock;
}

export const dashboardDefaults = {
  mount: '/_tripwire',
  auth: undefined as AuthOption | undefined,
  store: undefined as IssueStore | undefined,
  title: 'tripwire',
  perPage: 50,
  release: undefined as string | null | undefined,
  apiToken: null as string | null,
  loginThrottle: { perIp: 10, overall: 100, windowMs: 60_000 },
  logger: consoleLogger as Logger,
  clock: realClock as Clock,
};

const WHERE = 'dashboard';
const STORE_METHODS = ['listIssues', 'getIssue', 'setStatus', 'listEvents', 'getEvent', 'findEvents', 'histogram'] as const;

export function dashboardSettings(options: DashboardOptions): DashboardSettings & { auth: AuthOption } {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('dashboard: options must be an object, e.g. dashboard({ store, auth: { username, password } })');
  }
  rejectUnknownKeys(WHERE, options, Object.keys(dashboardDefaults));
  const auth = checkAuth(options.auth);
  const store = options.store;
  const missing = STORE_METHODS.filter((m) => typeof (store as unknown as Record<string, unknown> | undefined)?.[m] !== 'function');
  if (!store || missing.length) {
    throw new TypeError(`dashboard: \`store\` must be an IssueStore such as MongoStore (missing ${missing.join(', ')}); use tripwire.dashboard() to get the stack's own store`);
  }
  const mount = options.mount ?? dashboardDefaults.mount;
  if (typeof mount !== 'string' || !/^\/[^?#\s]*$/.test(mount) || mount.endsWith('/') || mount.includes('//')) {
    throw new TypeError("dashboard: `mount` must be a path like '/_tripwire' (leading slash, no trailing slash)");
  }
  const title = options.title ?? dashboardDefaults.title;
  if (typeof title !== 'string' || title.length === 0 || title.length > 100) throw new TypeError('dashboard: `title` must be a non-empty string of at most 100 characters');
  const perPage = options.perPage ?? dashboardDefaults.perPage;
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > 500) throw new RangeError('dashboard: `perPage` must be an integer from 1 to 500');
  const release = options.release === undefined ? process.env.TRIPWIRE_RELEASE || null : options.release;
  if (release !== null && (typeof release !== 'string' || release.length > 200)) throw new TypeError('dashboard: `release` must be a string (the deployed version) or null');
  const apiToken = options.apiToken ?? dashboardDefaults.apiToken;
  if (apiToken !== null && (typeof apiToken !== 'string' || apiToken.length < 24)) {
    throw new TypeError('dashboard: `apiToken` must be a string of at least 24 characters (e.g. from `openssl rand -base64 32`, set from an environment variable) or null');
  }
  const loginThrottle = { ...dashboardDefaults.loginThrottle, ...options.loginThrottle };
  rejectUnknownKeys('dashboard loginThrottle', loginThrottle, Object.keys(dashboardDefaults.loginThrottle));
  for (const [key, value] of Object.entries(loginThrottle)) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`dashboard: \`loginThrottle.${key}\` must be a positive integer`);
  }
  const logger = options.logger ?? dashboardDefaults.logger;
  if (!isLogger(logger)) throw new TypeError('dashboard: `logger` must have info, warn and error methods');
  const clock = options.clock ?? dashboardDefaults.clock;
  if (!isClock(clock)) throw new TypeError('dashboard: `clock` must have now, setTimeout and clearTimeout');
  return { mount, auth, store, title, perPage, release, apiToken, loginThrottle, logger, clock };
}

function checkAuth(auth: unknown): AuthOption {
  if (auth === undefined || auth === null || auth === true) {
    throw new TypeError('dashboard: `auth` is required: { username, password } for HTTP Basic, or (ctx) => boolean for your own login; `auth: false` turns it off on purpose');
  }
  if (auth === false || typeof auth === 'function') return auth as AuthOption;
  if (typeof auth !== 'object') throw new TypeError('dashboard: `auth` must be { username, password }, a function (ctx) => boolean, or false');
  rejectUnknownKeys('dashboard auth', auth, ['username', 'password']);
  const { username, password } = auth as Record<string, unknown>;
  if (typeof username !== 'string' || username === '' || username.includes(':')) {
    throw new TypeError('dashboard: `auth.username` must be a non-empty string without ":"');
  }
  if (typeof password !== 'string' || password.length < 8) {
    throw new TypeError('dashboard: `auth.password` must be a string of at least 8 characters (set it from an environment variable)');
  }
  return { username, password };
}
