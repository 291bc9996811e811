import type { Context, Middleware } from 'koa';

// Route-level marks read by responseFormatter after the route has run. A symbol
// keeps them out of the way of the app's own ctx.state keys.
const FORMAT_MARK = Symbol.for('koa-tripwire.format');

type MarkedState = Record<symbol, boolean | undefined>;

/** true: envelope it; false: leave it raw; undefined: decided by the API paths. */
export function formatMark(ctx: Context): boolean | undefined {
  return (ctx.state as MarkedState)[FORMAT_MARK];
}

/** Opts a route outside the API paths into the envelope (e.g. a /health route). */
export function formatResponse(): Middleware {
  return function formatResponse(ctx, next) {
    (ctx.state as MarkedState)[FORMAT_MARK] = true;
    return next();
  };
}

/** Opts a route inside the API paths out of the envelope (e.g. a CSV export). */
export function rawResponse(): Middleware {
  return function rawResponse(ctx, next) {
    (ctx.state as MarkedState)[FORMAT_MARK] = false;
    return next();
  };
}
