import type { Middleware } from 'koa';
import {
  SENSITIVE_POST_PARAMETERS,
  sensitivePostParametersOf,
  type SensitivePostParameters,
} from '../report/scrub/sensitivePostParameterMarks';

export { SENSITIVE_POST_PARAMETERS, sensitivePostParametersOf, type SensitivePostParameters };

/**
 * Django's @sensitive_post_parameters as route middleware: reports of errors in
 * the routes after it show the named body parameters (at any depth) as the
 * filter's substitute; with no name, every value of the body (its keys are kept, so
 * the report still says which fields were sent), as Django's does.
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

// Nested routers may both mark a request: hiding more is never undone by an inner mark.
function merge(current: SensitivePostParameters | null, added: SensitivePostParameters): SensitivePostParameters {
  if (current === 'all' || added === 'all') return 'all';
  return current ? [...new Set([...current, ...added])] : added;
}
