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

const watcherOf = new WeakMap<Middleware, OutcomeWatcher>();

/**
 * An ordinary `async (ctx, next)` middleware around one watcher. Every async frame costs
 * each request a promise and a dispatch, so stack() gives both reporters one frame
 * (`watchOutcomes` over both watchers) where composing their middleware would give two.
 */
export function watchingMiddleware<M extends Middleware>(name: string, watcher: OutcomeWatcher): M {
  const middleware = frameFor([watcher]);
  // The reporter's name in stack traces and in app.middleware.
  Object.defineProperty(middleware, 'name', { value: name });
  watcherOf.set(middleware, watcher);
  return middleware as M;
}

/**
 * One frame for several watchers, listed innermost first: each sees the outcome in the
 * order their middleware, composed outermost last, would have (the broken-link reporter
 * before the error reporter).
 */
export function watchOutcomes(reporters: Middleware[]): Middleware {
  return frameFor(reporters.map((reporter) => {
    const watcher = watcherOf.get(reporter);
    if (!watcher) throw new TypeError('watchOutcomes: each middleware must come from errorReporter() or brokenLinkReporter()');
    return watcher;
  }));
}

function frameFor(watchers: OutcomeWatcher[]): Middleware {
  return async function reporters(ctx, next) {
    try {
      await next();
    } catch (err) {
      for (const watcher of watchers) watcher.thrown(err, ctx);
      throw err;
    }
    for (const watcher of watchers) watcher.answered(ctx);
  };
}
