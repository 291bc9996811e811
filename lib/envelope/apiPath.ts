// Which requests are "API requests" and so get the envelope.

/** A path whose segment `api` starts it or follows any prefix: /api, /api/x, /v1/api/x — but not /apiary. */
export const DEFAULT_API_PATH = /(^|\/)api(\/|$)/;

export type PathMatcher = string | RegExp;

/**
 * Strings are path prefixes matched on segment boundaries (`/v2` matches `/v2/x`
 * but not `/v2x`), so an API mounted at a prefix cannot swallow its neighbours.
 */
export function compileMatchers(match: PathMatcher | PathMatcher[]): (path: string) => boolean {
  const list = Array.isArray(match) ? match : [match];
  const tests = list.map((m) => {
    if (m instanceof RegExp) return (path: string) => { m.lastIndex = 0; return m.test(path); };
    if (typeof m !== 'string' || !m.startsWith('/')) {
      throw new TypeError(`responseFormatter: match entries must be RegExps or path prefixes starting with "/", got ${JSON.stringify(m)}`);
    }
    const prefix = m.length > 1 && m.endsWith('/') ? m.slice(0, -1) : m;
    if (prefix === '/') return () => true;
    return (path: string) => path === prefix || path.startsWith(prefix + '/');
  });
  // One matcher (the default, or one prefix) is the test itself: no `some` and closure per request.
  if (tests.length === 1) return tests[0];
  return (path) => tests.some((t) => t(path));
}
