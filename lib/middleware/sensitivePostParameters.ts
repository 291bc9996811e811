import type { Middleware } from 'koa';
import { markSensitivePostParameters, type SensitivePostParameters } from '../report/scrub/sensitivePostParameterMarks';

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
  return function sensitivePostParametersMarker(ctx, next) {
    markSensitivePostParameters(ctx, marks);
    return next();
  };
}
