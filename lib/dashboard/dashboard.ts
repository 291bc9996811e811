// The issues dashboard as one Koa middleware: `app.use(dashboard({ store, auth }))`.
// It answers every request under `mount` and passes every other request on untouched,
// so it can sit before or after stack(), under koa-mount or a @koa/router prefix.
import type { Context, Middleware, Next } from 'koa';
import { rejectUnknownKeys } from '../core/options';
import { authGate, type AuthOption } from './auth';
import type { IssueStore } from '../ports';
import { dispatch } from './router';
import { setSecurityHeaders } from './securityHeaders';
import type { DashboardSettings } from './view';

export interface DashboardOptions {
  /** Where it is served (default '/_tripwire'), relative to where the middleware runs (koa-mount strips its own prefix). */
  mount?: string;
  /**
   * Required. `{ username, password }` for HTTP Basic, or `(ctx) => boolean | Promise<boolean>`
   * to use the app's own login; `false` only on purpose (see the README: the pages show
   * request data and let anyone resolve or ignore issues).
   */
  auth?: AuthOption;
  /** Where issues are read and triaged (MongoStore). `tripwire.dashboard()` passes the stack's own. */
  store?: IssueStore;
  /** Shown in the page header and the Basic realm, e.g. the app's name. */
  title?: string;
  /** Rows per page on the lists. */
  perPage?: number;
}

export const dashboardDefaults = {
  mount: '/_tripwire',
  title: 'tripwire',
  perPage: 50,
};

const KNOWN = ['mount', 'auth', 'store', 'title', 'perPage'] as const;
const STORE_METHODS = ['listIssues', 'getIssue', 'setStatus', 'listEvents', 'getEvent', 'findEvents', 'histogram'] as const;

export function dashboard(options: DashboardOptions): Middleware {
  const settings = validate(options);
  const gate = authGate(options.auth as AuthOption, settings.title.replace(/["\\]/g, ''));
  const { mount } = settings;

  return async function tripwireDashboard(ctx: Context, next: Next) {
    const where = locate(ctx, mount);
    if (!where) return next();
    setSecurityHeaders(ctx);
    if (!(await gate(ctx))) return;
    await dispatch(ctx, { ...settings, ...where });
  };
}

const under = (path: string, mount: string) => path === mount || path.startsWith(`${mount}/`);

/**
 * Where the request is relative to the mount, and the mount as the browser sees it.
 * koa-mount strips its prefix from ctx.path (ctx.originalUrl keeps it); a @koa/router
 * with a prefix strips nothing, so its prefix is taken off here, and both are put back
 * into every link, form and cookie path.
 */
function locate(ctx: Context, mount: string): { base: string; rest: string } | null {
  const routerPrefix = (ctx as { router?: { opts?: { prefix?: unknown } } }).router?.opts?.prefix;
  const prefix = typeof routerPrefix === 'string' && routerPrefix && ctx.path.startsWith(`${routerPrefix}/`) ? routerPrefix : '';
  let path = ctx.path.slice(prefix.length);
  let inner = prefix;
  if (!under(path, mount)) {
    if (!prefix || !under(ctx.path, mount)) return null;
    [path, inner] = [ctx.path, ''];
  }
  const original = ctx.originalUrl.split('?')[0];
  const outer = original.endsWith(ctx.path) ? original.slice(0, original.length - ctx.path.length) : '';
  return { base: `${outer}${inner}${mount}`, rest: path.slice(mount.length) || '/' };
}

function validate(options: DashboardOptions): DashboardSettings {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('dashboard: options must be an object, e.g. dashboard({ store, auth: { username, password } })');
  }
  rejectUnknownKeys('dashboard', options, KNOWN);
  const { auth } = options;
  if (auth === undefined || auth === null || (auth as unknown) === true) {
    throw new TypeError('dashboard: `auth` is required: { username, password } for HTTP Basic, or (ctx) => boolean for your own login; `auth: false` turns it off on purpose');
  }
  if (auth !== false && typeof auth !== 'function') {
    if (typeof auth !== 'object') throw new TypeError('dashboard: `auth` must be { username, password }, a function (ctx) => boolean, or false');
    rejectUnknownKeys('dashboard auth', auth, ['username', 'password']);
    if (typeof auth.username !== 'string' || auth.username === '' || auth.username.includes(':')) {
      throw new TypeError('dashboard: `auth.username` must be a non-empty string without ":"');
    }
    if (typeof auth.password !== 'string' || auth.password.length < 8) {
      throw new TypeError('dashboard: `auth.password` must be a string of at least 8 characters (set it from an environment variable)');
    }
  }
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
  return { mount, store, title, perPage };
}
