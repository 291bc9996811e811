import type { Context, Middleware } from 'koa';

/**
 * What a reporter does with a request's outcome. Both run on the request path, after the
 * routes, so they only look and offer (the report is built later by the client's worker)
 * and never throw.
 */
export interface OutcomeWatcher {
  /** A throw on its way out, before the formatter shapes it. */
  thrown(err: unknown, ctx: Context): void;
  /** The response the routes left, when nothing was thrown. */
  answered(ctx: Context): void;
}

/**
 * The reporter's middleware, in Koa's "common function" form (next().then, as Koa's README
 * shows it: https://github.com/koajs/koa#middleware): what it does after the routes needs no
 * async frame of its own.
 */
export function watchingMiddleware<M extends Middleware>(name: string, watcher: OutcomeWatcher): M {
  const middleware: Middleware = function reporter(ctx, next) {
    return next().then(
      () => watcher.answered(ctx),
      (err: unknown) => {
        watcher.thrown(err, ctx);
        throw err;
      },
    );
  };
  // The reporter's name in stack traces and in app.middleware.
  Object.defineProperty(middleware, 'name', { value: name });
  return middleware as M;
}
