import type { Context } from 'koa';
import type { ErrorInfo, Report, RequestInfo } from './Report';
import { sensitivePostParametersOf } from './sensitivePostParameters';

/** What a field becomes when filtering it failed: never the raw value. */
export const UNFILTERABLE = '[unfilterable]';

// userinfo runs to the last "@" before the host ends, so passwords containing "@" are covered.
// All of it is masked, user name included: in https://TOKEN:x-oauth-basic@host the
// secret is the user name.
// Every pattern here is tried at each position of strings up to maxStringLength long:
// the scheme length is bounded so a long run of letters costs linear time, not quadratic.
const URL_USERINFO = /([a-z][a-z0-9+.-]{0,31}:\/\/)[^\s/?#]*@/gi;
// name=value after "?", "&", ";", whitespace or the start: URL queries, DSNs, cookie strings.
const KEY_VALUE = /(^|[?&;\s])([^=&#\s?;]+)=([^&#\s]*)/g;
// "name": "value" inside text, e.g. a JSON body echoed in an error message.
const JSON_PAIR = /"([^"\\]{1,200})"(\s*:\s*)"((?:[^"\\]|\\.)*)"/g;
// The same two shapes percent-encoded, as in a URL passed inside another URL's query
// (?next=%2Fx%3Ftoken%3Dabc, ?redirect=https%3A%2F%2Fuser%3Apass%40host).
const ENCODED_URL_USERINFO = /([a-z][a-z0-9+.-]{0,31}%3A%2F%2F)(?:[^\s/?#&%]|%(?!2F|3F|23)[0-9a-f]{2})*%40/gi;
const ENCODED_KEY_VALUE = /(%3F|%26|%3B)((?:[^=&#\s?%]|%(?!3D|26|3F|3B)[0-9a-f]{2})+)%3D((?:[^&#\s%]|%(?!26|23)[0-9a-f]{2})*)/gi;
const AUTH_SCHEME = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/-]+=*/gi;
const MAYBE_AUTH_SCHEME = /bearer|basic/i;
// Every pattern needs one of these; most strings of a report (header values, stack
// lines, object keys) have none, and one scan says so.
const MAYBE_SECRET = /[@%="]|bearer|basic/i;
// Hand-built values (not from safeClone) could nest without end.
const MAX_NESTING = 64;

/**
 * Django's SafeExceptionReporterFilter for Koa reports. Subclass it to change
 * what is hidden, and set an instance on `ctx.state.reportFilter` to use it for
 * one request. Filtering never throws: a field that cannot be filtered becomes
 * '[unfilterable]'.
 */
export class SafeReportFilter {
  /** Django's substitute: 20 asterisks. */
  cleansedSubstitute = '********************';

  /**
   * Keys whose values are hidden wherever they appear (headers, query, body,
   * error extra), matched case-insensitively anywhere in the key:
   * /API|TOKEN|KEY|SECRET|PASS|SIGNATURE|AUTH|COOKIE|SESSION|CSRF|XSRF|CREDENTIAL/i.
   * Django's default (API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE plus HTTP_COOKIE)
   * widened for HTTP: AUTH covers authorization and proxy-authorization, COOKIE
   * covers cookie and set-cookie, SESSION, CSRF and XSRF cover session ids and
   * anti-forgery tokens. Like Django it over-matches ("keyboard") rather than leak.
   */
  hiddenKeys: RegExp = /API|TOKEN|KEY|SECRET|PASS|SIGNATURE|AUTH|COOKIE|SESSION|CSRF|XSRF|CREDENTIAL/i;

  /**
   * Django switches filtering off with DEBUG; we keep it on everywhere. A subclass
   * may return false to see raw values, but headers are filtered regardless, as
   * Django always filters META.
   */
  isActive(_ctx?: Context): boolean {
    return true;
  }

  isHiddenKey(key: string): boolean {
    // A subclass may supply a /g regex, whose lastIndex would make test() alternate.
    this.hiddenKeys.lastIndex = 0;
    return this.hiddenKeys.test(key);
  }

  /** Returns a scrubbed copy of the report; the input is not modified. Never throws. */
  cleanse(report: Report, ctx?: Context): Report {
    try {
      return this.cleanseReport(report, ctx);
    } catch {
      // Only a hand-built report with hostile parts gets here: keep nothing that could hold a secret.
      return attempt(() => unfilterableReport(report), bareReport());
    }
  }

  private cleanseReport(report: Report, ctx: Context | undefined): Report {
    const active = attempt(() => this.isActive(ctx) !== false, true);
    const request = report.request && this.cleanseRequest(report.request, ctx, active);
    if (!active) return { ...report, request };

    const keyed: Report = {
      ...report,
      request,
      error: report.error && this.cleanseError(report.error),
    };
    // Credentials inside URLs and auth headers pasted into text can be in any string.
    const result = attempt(() => this.cleanseStrings(keyed, 0, new Set()), UNFILTERABLE);
    return result === UNFILTERABLE ? unfilterableReport(keyed) : (result as Report);
  }

  /**
   * The request body, before the free-text rules run over it. Applies the marks of
   * sensitivePostParameters() and hides keys matching hiddenKeys at any depth.
   */
  cleanseBody(ctx: Context | undefined, body: unknown): unknown {
    const marks = sensitivePostParametersOf(ctx);
    if (marks === 'all') return body === null || body === undefined ? body : this.cleansedSubstitute;
    const sensitive = new Set(marks ?? []);
    return this.cleanseKeys(body, (key) => sensitive.has(key) || this.isHiddenKey(key));
  }

  /** Masks credentials in free text: URL userinfo, hidden query parameters, Bearer/Basic values. */
  cleanseText(text: string): string {
    const substitute = this.cleansedSubstitute;
    if (!MAYBE_SECRET.test(text)) return text;
    let out = text;
    // Stack traces hold "@" (node_modules/@scope) but rarely "://".
    if (out.includes('://') && out.includes('@')) {
      out = out.replace(URL_USERINFO, (_match, scheme: string) => `${scheme}${substitute}@`);
    }
    const encoded = out.includes('%');
    if (encoded) {
      out = out.replace(ENCODED_URL_USERINFO, (_match, scheme: string) => `${scheme}${substitute}%40`);
    }
    if (out.includes('=')) {
      out = out.replace(KEY_VALUE, (match, before: string, name: string, value: string) =>
        value && this.isHiddenKey(decodeName(name)) ? `${before}${name}=${substitute}` : match,
      );
    }
    if (encoded) {
      out = out.replace(ENCODED_KEY_VALUE, (match, before: string, name: string, value: string) =>
        value && this.isHiddenKey(decodeName(name)) ? `${before}${name}%3D${substitute}` : match,
      );
    }
    if (out.includes('"')) {
      out = out.replace(JSON_PAIR, (match, name: string, colon: string) =>
        this.isHiddenKey(name) ? `"${name}"${colon}"${substitute}"` : match,
      );
    }
    if (MAYBE_AUTH_SCHEME.test(out)) out = out.replace(AUTH_SCHEME, (_match, scheme: string) => `${scheme} ${substitute}`);
    return out;
  }

  /** Replaces the value of every key that `isHidden` accepts, in nested objects and arrays. */
  protected cleanseKeys(value: unknown, isHidden: (key: string) => boolean, depth = 0, seen = new Set<object>()): unknown {
    if (value === null || typeof value !== 'object') return value;
    if (depth >= MAX_NESTING || seen.has(value)) return UNFILTERABLE;
    seen.add(value);
    try {
      if (Array.isArray(value)) {
        return value.map((item) => attempt(() => this.cleanseKeys(item, isHidden, depth + 1, seen), UNFILTERABLE));
      }
      const copy: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        copy[key] = attempt(
          () => (isHidden(key) ? this.cleansedSubstitute : this.cleanseKeys((value as Record<string, unknown>)[key], isHidden, depth + 1, seen)),
          UNFILTERABLE,
        );
      }
      return copy;
    } finally {
      seen.delete(value);
    }
  }

  private cleanseRequest(request: RequestInfo, ctx: Context | undefined, active: boolean): RequestInfo {
    const hidden = (key: string) => this.isHiddenKey(key);
    const headers = attempt(() => this.cleanseKeys(request.headers, hidden), UNFILTERABLE) as RequestInfo['headers'];
    if (!active) return { ...request, headers };
    return {
      ...request,
      headers,
      query: attempt(() => this.cleanseKeys(request.query, hidden), UNFILTERABLE) as RequestInfo['query'],
      body: attempt(() => this.cleanseBody(ctx, request.body), UNFILTERABLE),
    };
  }

  private cleanseError(error: ErrorInfo): ErrorInfo {
    const hidden = (key: string) => this.isHiddenKey(key);
    const extra = (value: Record<string, unknown>) => attempt(() => this.cleanseKeys(value, hidden), UNFILTERABLE) as Record<string, unknown>;
    return {
      ...error,
      extra: extra(error.extra),
      cause: Array.isArray(error.cause) ? error.cause.map((cause) => ({ ...cause, extra: extra(cause.extra) })) : [],
    };
  }

  private cleanseStrings(value: unknown, depth: number, seen: Set<object>): unknown {
    if (typeof value === 'string') return this.cleanseTextSafely(value);
    if (value === null || typeof value !== 'object') return value;
    if (depth >= MAX_NESTING || seen.has(value)) return UNFILTERABLE;
    seen.add(value);
    try {
      if (Array.isArray(value)) return value.map((item) => this.cleanseStrings(item, depth + 1, seen));
      const copy: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        // try/catch inline rather than attempt(): this runs for every field of every report.
        let cleansed: unknown;
        try {
          cleansed = this.cleanseStrings((value as Record<string, unknown>)[key], depth + 1, seen);
        } catch {
          cleansed = UNFILTERABLE;
        }
        copy[this.cleanseTextSafely(key)] = cleansed;
      }
      return copy;
    } finally {
      seen.delete(value);
    }
  }

  private cleanseTextSafely(text: string): string {
    try {
      return this.cleanseText(text);
    } catch {
      return UNFILTERABLE;
    }
  }
}

function attempt<T>(work: () => T, fallback: T): T {
  try {
    return work();
  } catch {
    return fallback;
  }
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

// Used when a subclass's cleanseText fails on the report as a whole: keep what
// identifies the occurrence, drop every field that could carry a secret.
function unfilterableReport(report: Report): Report {
  return {
    ...report,
    title: UNFILTERABLE,
    error: report.error && {
      ...report.error,
      message: UNFILTERABLE,
      stack: null,
      cause: [],
      extra: {},
    },
    brokenLink: report.brokenLink && { ...report.brokenLink, url: UNFILTERABLE, referer: UNFILTERABLE },
    request: null,
  };
}

function bareReport(): Report {
  return {
    id: UNFILTERABLE,
    kind: 'error',
    title: UNFILTERABLE,
    timestamp: new Date().toISOString(),
    timezone: 'UTC',
    status: 500,
    fingerprint: UNFILTERABLE,
    error: null,
    brokenLink: null,
    request: null,
    user: { id: null, username: 'Anonymous' },
    environment: UNFILTERABLE,
    release: null,
    host: UNFILTERABLE,
    pid: process.pid,
  };
}
