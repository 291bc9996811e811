// stack() must run before the routes: a router mounted before it answers its routes
// itself, so their errors are neither enveloped nor reported (with app.silent they
// vanish). Koa gives a middleware no hook at app.use(), so the check runs on the first
// request that reaches the stack, reading app.middleware, and warns once.
import type { Context, Middleware } from 'koa';
import type { Logger } from '../core/logger';

/** A @koa/router (or koa-router) `routes()` middleware carries its router. */
function isRouter(fn: unknown): boolean {
  return typeof fn === 'function' && typeof (fn as { router?: unknown }).router === 'object';
}

/** Returns the per-request check: a no-op after the first request. */
export function mountCheck(logger: Logger): (ctx: Context, self: Middleware) => void {
  let checked = false;
  return (ctx, self) => {
    if (checked) return;
    checked = true;
    const list: unknown[] = Array.isArray(ctx.app?.middleware) ? ctx.app.middleware : [];
    const at = list.indexOf(self);
    const routerAt = list.slice(0, Math.max(at, 0)).findIndex(isRouter);
    if (routerAt !== -1) {
      logger.warn(`stack() is mounted after a router (app.middleware[${routerAt}]): the routes it answers are neither enveloped nor reported; call app.use(stack()) before app.use(router.routes())`);
    } else if ((ctx.body !== undefined && ctx.body !== null) || ctx.status !== 404) {
      logger.warn('stack() is mounted after middleware that already answered this request: its response is neither enveloped nor reported; call app.use(stack()) first');
    }
  };
}
