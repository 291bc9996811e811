// `app.use(stack)` instead of `app.use(stack())`: Koa then calls the factory with
// (ctx, next) on every request. Left alone it would build a new suite per request (two
// MongoDB connections each with MONGODB_URI) and answer a plain 404; instead the first
// request fails with the fix in the message.

/** Koa's context, as far as it can be told apart from an options object. */
function looksLikeContext(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  const ctx = value as Record<string, unknown>;
  return typeof ctx.app === 'object' && typeof ctx.req === 'object' && typeof ctx.res === 'object' && 'request' in ctx;
}

/** Throws a TypeError naming the fix when a factory is called as middleware. */
export function rejectUseWithoutCall(factory: string, options: unknown, next: unknown): void {
  if (typeof next === 'function' || looksLikeContext(options)) {
    throw new TypeError(`${factory} is a middleware factory: use app.use(${factory}()), not app.use(${factory})`);
  }
}
