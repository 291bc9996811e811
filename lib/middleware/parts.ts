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
  const run = compileParts([part]);
  const middleware = (ctx: Context, next: Next) => run(ctx, next);
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
  const run = compileParts(parts as Part[]);
  return function tripwire(ctx: Context, next: Next) {
    return run(ctx, next);
  };
}

type Hook = (ctx: Context) => void;

/**
 * Compiles `list` once into what a request runs: the parts' `enter`s and `leave`s as flat
 * arrays of functions (only the parts that have one, each with its part's index), so the
 * happy path is two plain loops inside one try each, with no optional call and no
 * try/catch per part. Only when something throws does it hand over to `settle`, which
 * unwinds part by part from where the throw happened, exactly as nested middlewares would.
 */
function compileParts(list: Part[]): (ctx: Context, next: Next) => Promise<void> {
  const last = list.length - 1;
  const enters: Hook[] = [];
  const enterAt: number[] = [];
  const leaves: Hook[] = [];
  const leaveAt: number[] = [];
  for (let i = 0; i <= last; i++) {
    const part = list[i];
    if (part.enter) { enters.push(part.enter.bind(part)); enterAt.push(i); }
  }
  for (let i = last; i >= 0; i--) {
    const part = list[i];
    if (part.leave) { leaves.push(part.leave.bind(part)); leaveAt.push(i); }
  }
  const innerRun = list[last]?.run;
  const inner = innerRun ? innerRun.bind(list[last]) : undefined;
  const enterCount = enters.length;
  const leaveCount = leaves.length;

  return async function runParts(ctx: Context, next: Next): Promise<void> {
    let k = 0;
    try {
      for (; k < enterCount; k++) enters[k](ctx);
    } catch (err) {
      // The part that threw is not unwound: its enter did not finish, as a middleware's would not.
      settle(list, enterAt[k] - 1, ctx, true, err);
      return;
    }
    try {
      await (inner === undefined ? next() : inner(ctx, next));
    } catch (err) {
      settle(list, last, ctx, true, err);
      return;
    }
    k = 0;
    try {
      for (; k < leaveCount; k++) leaves[k](ctx);
    } catch (err) {
      settle(list, leaveAt[k] - 1, ctx, true, err);
    }
  };
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
