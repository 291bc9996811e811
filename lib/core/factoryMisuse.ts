// `app.use(stack)` instead of `app.use(stack())`: Koa then calls the factory with
// (ctx, next) on every request. Left alone it would build a new suite per request (two
// MongoDB connections each with MONGODB_URI) and answer a plain 404; instead every such
// request fails with the fix in the message. With `app.silent` (as the quick start has
// it) Koa prints nothing of a thrown error, so the fix is also logged, once per factory.
import { consoleLogger, type Logger } from '../core/logger';

/** Koa's context, as far as it can be told apart from an options object. */
function looksLikeContext(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  const ctx = value as Record<string, unknown>;
  return typeof ctx.app === 'object' && typeof ctx.req === 'object' && typeof ctx.res === 'object' && 'request' in ctx;
}

// The factories already logged, per app, so a misused factory logs once, not per request.
const logged = new WeakMap<object, Set<string>>();

/** Throws a TypeError naming the fix when a factory is called as middleware, and logs it once per app. */
export function rejectUseWithoutCall(factory: string, options: unknown, next: unknown, logger: Logger = consoleLogger): void {
  const isContext = looksLikeContext(options);
  if (typeof next !== 'function' && !isContext) return;
  const message = `${factory} is a middleware factory: use app.use(${factory}()), not app.use(${factory})`;
  const app = isContext ? ((options as { app: object }).app) : null;
  const seen = app ? logged.get(app) ?? new Set<string>() : new Set<string>();
  if (app) logged.set(app, seen);
  if (!seen.has(factory)) {
    seen.add(factory);
    logger.error(message);
  }
  throw new TypeError(message);
}
