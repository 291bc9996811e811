import type { Context } from 'koa';

// The marks left on a request by the sensitivePostParameters() middleware
// (lib/middleware/sensitivePostParameters.ts); SafeReportFilter.cleanseBody reads them.

/** Where the marks live on `ctx.state`. */
export const SENSITIVE_POST_PARAMETERS = 'sensitivePostParameters';

/** Named body parameters, or 'all' to hide every value of the body. */
export type SensitivePostParameters = string[] | 'all';

/** The marks set on this request, if any. */
export function sensitivePostParametersOf(ctx: Context | undefined): SensitivePostParameters | null {
  const marks: unknown = ctx?.state?.[SENSITIVE_POST_PARAMETERS];
  if (marks === 'all') return 'all';
  if (Array.isArray(marks)) return marks.filter((name): name is string => typeof name === 'string');
  return null;
}

/**
 * Adds `added` to the marks of this request: what the sensitivePostParameters() middleware
 * calls. Nested routers may both mark a request, and hiding more is never undone by an
 * inner mark: 'all' stays 'all', names are merged.
 */
export function markSensitivePostParameters(ctx: Context, added: SensitivePostParameters): void {
  const current = sensitivePostParametersOf(ctx);
  ctx.state[SENSITIVE_POST_PARAMETERS] =
    current === 'all' || added === 'all' ? 'all' : current ? [...new Set([...current, ...added])] : [...added];
}
