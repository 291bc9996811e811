// The stack as one async frame. Each part of the stack exposes what it does before the
// routes, after them and when they throw, as plain functions (a Part); stack() runs the
// parts in one async function instead of nesting five middlewares through koa-compose,
// which costs one async frame, one bound `dispatch` and one promise per part per request.
// Each middleware used on its own is built from the same Part, so both behave alike.
import type { Context, Middleware, Next } from 'koa';
import compose from 'koa-compose';

export interface Part {
  /** Before the routes run, outermost part first. */
  enter?(ctx: Context): void;
  /** Runs the routes itself (the body parser); only the innermost part may have it. */
  run?(ctx: Context, next: Next): unknown;
  /** After the routes resolved, innermost part first. */
  leave?(ctx: Context): void;
  /**
   * The routes (or an inner part) threw, innermost part first: true when this part
   * answered the request, so the error goes no further out. Throwing replaces the error.
   */
  fail?(ctx: Context, err: unknown): boolean;
}

const PART = Symbol('koa-tripwire.part');

type WithPart = Middleware & { [PART]?: Part };

/** Tags a middleware with the Part it is made of, for composeParts. */
export function withPart<M extends Middleware>(middleware: M, part: Part): M {
  (middleware as WithPart)[PART] = part;
  return middleware;
}

/** A middleware running one Part on its own (what the part's factory returns), named `name`. */
export function partMiddleware(name: string, part: Part): Middleware {
  const parts = [part];
  const middleware = (ctx: Context, next: Next) => runParts(parts, ctx, next);
  Object.defineProperty(middleware, 'name', { value: name });
  return withPart(middleware, part);
}

/**
 * One middleware doing what `compose(middlewares)` does. When one of them is not made
 * of a Part (a misuse or a wrapped middleware), it falls back to koa-compose.
 */
export function composeParts(middlewares: Middleware[]): Middleware {
  const parts = middlewares.map((m) => (m as WithPart)[PART]);
  if (parts.some((p) => p === undefined) || parts.slice(0, -1).some((p) => p!.run)) return compose(middlewares);
  const list = parts as Part[];
  return function tripwire(ctx: Context, next: Next) {
    return runParts(list, ctx, next);
  };
}

/** Runs `list` around the routes: every `enter`, the innermost `run` (or `next`), then settles. */
async function runParts(list: Part[], ctx: Context, next: Next): Promise<void> {
  const last = list.length - 1;
  let i = 0;
  try {
    for (; i <= last; i++) list[i].enter?.(ctx);
  } catch (err) {
    settle(list, i - 1, ctx, true, err);
    return;
  }
  const run = list[last]?.run;
  let failed = false;
  let error: unknown;
  try {
    await (run ? run(ctx, next) : next());
  } catch (err) {
    failed = true;
    error = err;
  }
  settle(list, last, ctx, failed, error);
}

/**
 * Unwinds from part `from` outwards as nested middlewares would: after a success each
 * part's `leave`; after a throw each part's `fail` until one answers, then the `leave`
 * of the parts outside it. What is still failed at the end is rethrown.
 */
function settle(parts: Part[], from: number, ctx: Context, failed: boolean, error: unknown): void {
  for (let i = from; i >= 0; i--) {
    const part = parts[i];
    try {
      if (!failed) part.leave?.(ctx);
      else if (part.fail?.(ctx, error) === true) failed = false;
    } catch (err) {
      failed = true;
      error = err;
    }
  }
  if (failed) throw error;
}
