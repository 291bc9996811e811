import type { Context, Middleware } from 'koa';

/** Where the marks live on `ctx.state`; SafeReportFilter.cleanseBody reads them. */
export const SENSITIVE_POST_PARAMETERS = 'sensitivePostParameters';

/** Named body parameters, or 'all' to hide the whole body. */
export type SensitivePostParameters = string[] | 'all';

/**
 * Django's @sensitive_post_parameters as route middleware: reports of errors in
 * the routes after it show the named body parameters (at any depth) as the
 * filter's substitute, or the whole body when no name is given.
 *
 *   router.post('/login', sensitivePostParameters('password'), login)
 */
export function sensitivePostParameters(...names: string[]): Middleware {
  for (const name of names) {
    if (typeof name !== 'string' || name.length === 0) {
      // Most often the factory itself was passed as middleware: Koa then calls it with (ctx, next).
      throw new TypeError(
        "sensitivePostParameters(...names): names must be non-empty strings; call it, e.g. sensitivePostParameters('password')",
      );
    }
  }
  const marks: SensitivePostParameters = names.length > 0 ? [...names] : 'all';
  return function markSensitivePostParameters(ctx, next) {
    ctx.state[SENSITIVE_POST_PARAMETERS] = merge(sensitivePostParametersOf(ctx), marks);
    return next();
  };
}

/** The marks set on this request, if any. */
export function sensitivePostParametersOf(ctx: Context | undefined): SensitivePostParameters | null {
  const marks: unknown = ctx?.state?.[SENSITIVE_POST_PARAMETERS];
  if (marks === 'all') return 'all';
  if (Array.isArray(marks)) return marks.filter((name): name is string => typeof name === 'string');
  return null;
}

// Nested routers may both mark a request: hiding more is never undone by an inner mark.
function merge(current: SensitivePostParameters | null, added: SensitivePostParameters): SensitivePostParameters {
  if (current === 'all' || added === 'all') return 'all';
  return current ? [...new Set([...current, ...added])] : added;
}
