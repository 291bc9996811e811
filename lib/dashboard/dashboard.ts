// The issues dashboard as one Koa middleware: `app.use(dashboard({ store, auth }))`.
// It answers every request under `mount` and passes every other request on untouched,
// so it can sit before or after stack(), under koa-mount or a @koa/router prefix.
import type { Context, Middleware, Next } from 'koa';
import { authGate } from './auth';
import { dispatch } from './router';
import { setSecurityHeaders } from './securityHeaders';
import { UndoLog } from './undoLog';
import { dashboardSettings, type DashboardOptions } from './settings';

export { dashboardDefaults, type DashboardOptions } from './settings';

export function dashboard(options: DashboardOptions): Middleware {
  const { auth, ...settings } = dashboardSettings(options);
  const gate = authGate(auth, settings);
  const { mount } = settings;
  const undo = new UndoLog();

  return async function tripwireDashboard(ctx: Context, next: Next) {
    const where = locate(ctx, mount);
    if (!where) return next();
    setSecurityHeaders(ctx);
    const who = await gate(ctx);
    if (!who) return;
    if (who.bearer && !where.rest.startsWith('/api/')) {
      ctx.status = 403;
      ctx.type = 'text/plain';
      ctx.body = 'The API token opens the JSON API only';
      return;
    }
    await dispatch(ctx, { ...settings, ...where, ...who, undo });
  };
}

const under = (path: string, mount: string) => path === mount || path.startsWith(`${mount}/`);

/**
 * Where the request is relative to the mount, and the mount as the browser sees it.
 * koa-mount strips its prefix from ctx.path (ctx.originalUrl keeps it); a @koa/router
 * with a prefix strips nothing, so its prefix is taken off here, and both are put back
 * into every link, form and cookie path. The router's prefix counts only when the route
 * that matched is the dashboard's own: @koa/router sets `ctx.router` for every request
 * that went through it, matched or not, so a `new Router({ prefix: '/api' })` used
 * before the dashboard must not make it answer under /api/_tripwire.
 */
function locate(ctx: Context, mount: string): { base: string; rest: string } | null {
  const prefix = routerPrefix(ctx, mount);
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

function routerPrefix(ctx: Context, mount: string): string {
  const prefix = (ctx as { router?: { opts?: { prefix?: unknown } } }).router?.opts?.prefix;
  if (typeof prefix !== 'string' || !prefix || !ctx.path.startsWith(`${prefix}/`)) return '';
  // Read only (Koa's private fields are never written): the pattern of the route now running.
  const matched = (ctx as { _matchedRoute?: unknown })._matchedRoute;
  if (typeof matched !== 'string' || !matched.startsWith(`${prefix}${mount}`)) return '';
  const after = matched.charAt(prefix.length + mount.length);
  return after === '' || !/[\w.~-]/.test(after) ? prefix : '';
}
