import type { Context } from 'koa';
import type { ErrorInfo, Report, RequestInfo, StackFrame } from '../Report';
import { CleansedFrames } from './cleansedFrames';
import { sensitivePostParametersOf } from './sensitivePostParameterMarks';
import { baseReport } from '../baseReport';
import { rejectUnknownKeys } from '../../core/options';
import { checkSecretPatterns, DEFAULT_SECRET_PATTERNS, maskSecretShapes, type SecretPattern } from './secretShapes';
import { cleanseReportStrings } from './reportStrings';
import { RememberedTexts } from './rememberedTexts';
import { maskAuthSchemes, maskJsonPairs, maskKeyValues, maskProsePairs, maskUrlUserinfo, type KeyRule } from './textRules';
import { FIRST_FRAME } from '../stackFrames';

/** What a field becomes when filtering it failed: never the raw value. */
export const UNFILTERABLE = '[unfilterable]';

// Remembered per filter: short texts, and the frames of a few hundred throw sites.
const MAX_REMEMBERED_LENGTH = 200;
const MAX_SHORT_TEXTS = 2000;
const MAX_FRAMES_LENGTH = 16 * 1024;
const MAX_FRAME_TEXTS = 200;
// Hand-built values (not from safeClone) could nest without end.
const MAX_NESTING = 64;

/**
 * Django's SafeExceptionReporterFilter for Koa reports. Subclass it to change
 * what is hidden, and set an instance on `ctx.state.reportFilter` to use it for
 * one request. Filtering never throws: a field that cannot be filtered becomes
 * '[unfilterable]'.
 */
export interface SafeReportFilterOptions {
  hiddenKeys?: RegExp;
  cleansedSubstitute?: string;
  /** Secret shapes masked in every string; `[]` turns shape detection off. Default: DEFAULT_SECRET_PATTERNS. */
  secretPatterns?: readonly SecretPattern[];
}

const OPTION_KEYS = ['hiddenKeys', 'cleansedSubstitute', 'secretPatterns'] as const;

export class SafeReportFilter {
  /** Django's substitute: 20 asterisks. */
  cleansedSubstitute = '********************';

  /**
   * Secrets recognised by their shape wherever they appear: JWTs, AWS access key ids,
   * PEM private keys, card numbers (Luhn), GitHub, Slack, Stripe and Google tokens.
   */
  secretPatterns: readonly SecretPattern[] = DEFAULT_SECRET_PATTERNS;

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

  constructor(options: SafeReportFilterOptions = {}) {
    if (options === null || typeof options !== 'object') throw new TypeError('SafeReportFilter: options must be an object');
    rejectUnknownKeys('SafeReportFilter', options, OPTION_KEYS);
    if (options.hiddenKeys !== undefined) {
      if (!(options.hiddenKeys instanceof RegExp)) throw new TypeError('SafeReportFilter: hiddenKeys must be a RegExp, e.g. /TOKEN|PASS/i');
      this.hiddenKeys = options.hiddenKeys;
    }
    if (options.cleansedSubstitute !== undefined) {
      if (typeof options.cleansedSubstitute !== 'string') throw new TypeError('SafeReportFilter: cleansedSubstitute must be a string');
      this.cleansedSubstitute = options.cleansedSubstitute;
    }
    if (options.secretPatterns !== undefined) this.secretPatterns = checkSecretPatterns('SafeReportFilter', options.secretPatterns);
  }

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
    const knownFrames = this.cleanseText === SafeReportFilter.prototype.cleanseText ? this.knownFrames : undefined;
    const result = attempt(() => cleanseReportStrings(keyed, (text) => this.cleanseText(text), UNFILTERABLE, knownFrames), null);
    return result === null ? unfilterableReport(keyed) : result;
  }

  /**
   * The request body, before the free-text rules run over it. Applies the marks of
   * sensitivePostParameters() and hides keys matching hiddenKeys at any depth.
   */
  cleanseBody(ctx: Context | undefined, body: unknown): unknown {
    const marks = sensitivePostParametersOf(ctx);
    // Django's sensitive_post_parameters() without names: every value hidden, the keys kept.
    if (marks === 'all') return this.cleanseKeys(body, () => true, 0, new Set(), true);
    const sensitive = new Set(marks ?? []);
    return this.cleanseKeys(body, (key) => sensitive.has(key) || this.isHiddenKey(key));
  }

  /**
   * Masks credentials in free text: URL userinfo, hidden names in key=value chains, JSON
   * pairs (escaped JSON too) and prose ("password: x"), Authorization values of any scheme,
   * and secret shapes. Each rule runs only when a cheap test says it can match.
   */
  cleanseText(text: string): string {
    if (text.length <= MAX_REMEMBERED_LENGTH) return this.remembered(text, this.shortTexts);
    // A stack is its message then frame lines; the same frames come back with every
    // occurrence of a bug, so their cleansed form is remembered (the message part never is).
    const frames = text.indexOf(FIRST_FRAME);
    if (frames > 0) return this.cleanseText(text.slice(0, frames)) + this.cleanseFrames(text.slice(frames));
    if (frames === 0) return this.cleanseFrames(text);
    return this.cleanseFreeText(text);
  }

  // Header values, keys, paths and function names repeat from report to report: their
  // cleansed forms are remembered, boundedly, and forgotten when the rules change.
  private readonly shortTexts = new RememberedTexts(MAX_SHORT_TEXTS);
  private readonly cleanseFree = (text: string): string => this.cleanseFreeText(text);
  private readonly frameTexts = new RememberedTexts(MAX_FRAME_TEXTS);
  private rulesSeen: [RegExp | null, readonly SecretPattern[] | null, string, unknown] = [null, null, '', null];

  private cleanseFrames(frames: string): string {
    if (frames.length > MAX_FRAMES_LENGTH) return this.cleanseFreeText(frames);
    return this.remembered(frames, this.frameTexts);
  }

  private remembered(text: string, cache: RememberedTexts): string {
    this.forgetIfRulesChanged();
    return cache.get(text, this.cleanseFree);
  }

  private forgetIfRulesChanged(): void {
    const seen = this.rulesSeen;
    if (seen[0] !== this.hiddenKeys || seen[1] !== this.secretPatterns || seen[2] !== this.cleansedSubstitute || seen[3] !== this.isHiddenKey) {
      this.shortTexts.clear();
      this.frameTexts.clear();
      this.cleansedFrames.clear();
      this.rulesSeen = [this.hiddenKeys, this.secretPatterns, this.cleansedSubstitute, this.isHiddenKey];
    }
  }

  // With the base cleanseText, the frames of a throw site are cleansed once, then copied.
  private readonly cleansedFrames = new CleansedFrames();
  private readonly knownFrames = (frames: unknown[]): StackFrame[] | undefined => {
    this.forgetIfRulesChanged();
    return this.cleansedFrames.get(frames, (text) => this.cleanseText(text), UNFILTERABLE);
  };

  private cleanseFreeText(text: string): string {
    const substitute = this.cleansedSubstitute;
    let out = text;
    // Every key rule and URL rule needs one of = " : % (found at memchr speed); most
    // strings of a report have none of them.
    if (out.includes('=') || out.includes('"') || out.includes(':') || out.includes('%')) {
      out = maskUrlUserinfo(out, substitute);
      if (this.mayHoldHiddenName(out)) {
        const rule: KeyRule = { isHidden: (name) => this.isHiddenKey(name), substitute };
        out = maskProsePairs(maskJsonPairs(maskKeyValues(out, rule), rule), rule);
      }
    }
    out = maskAuthSchemes(out, substitute);
    return maskSecretShapes(out, this.secretPatterns, substitute);
  }

  // With the default key rule, a text in which hiddenKeys matches nowhere cannot hold a
  // hidden name (percent-encoded names aside); a subclass's own isHiddenKey gets every text.
  private mayHoldHiddenName(text: string): boolean {
    if (this.isHiddenKey !== SafeReportFilter.prototype.isHiddenKey) return true;
    this.hiddenKeys.lastIndex = 0;
    return this.hiddenKeys.test(text) || text.includes('%');
  }

  /** Replaces the value of every key that `isHidden` accepts, in nested objects and arrays. */
  protected cleanseKeys(value: unknown, isHidden: (key: string) => boolean, depth = 0, seen = new Set<object>(), hideAll = false): unknown {
    if (value === null || value === undefined) return value;
    if (typeof value !== 'object') return hideAll ? this.cleansedSubstitute : value;
    if (depth >= MAX_NESTING || seen.has(value)) return UNFILTERABLE;
    seen.add(value);
    try {
      // try/catch inline rather than attempt(): this runs for every field of every report.
      if (Array.isArray(value)) {
        const items: unknown[] = [];
        const length = value.length;
        for (let i = 0; i < length; i++) {
          let item: unknown;
          try {
            item = this.cleanseKeys(value[i], isHidden, depth + 1, seen, hideAll);
          } catch {
            item = UNFILTERABLE;
          }
          items.push(item);
        }
        return items;
      }
      const copy: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        let item: unknown;
        try {
          item = isHidden(key) && !hideAll ? this.cleansedSubstitute : this.cleanseKeys((value as Record<string, unknown>)[key], isHidden, depth + 1, seen, hideAll);
        } catch {
          item = UNFILTERABLE;
        }
        copy[key] = item;
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
    const http = (info: ErrorInfo['http']) =>
      info && {
        ...info,
        requestHeaders: extra(info.requestHeaders) as Record<string, string>,
        responseHeaders: extra(info.responseHeaders) as Record<string, string>,
      };
    const part = <T extends Omit<ErrorInfo, 'cause'>>(item: T): T => {
      const copy: T = { ...item, extra: extra(item.extra) };
      if (item.http) copy.http = http(item.http);
      if (Array.isArray(item.errors)) copy.errors = item.errors.map(part);
      return copy;
    };
    const top = part(error);
    top.cause = Array.isArray(error.cause) ? error.cause.map(part) : [];
    return top;
  }
}

function attempt<T>(work: () => T, fallback: T): T {
  try {
    return work();
  } catch {
    return fallback;
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
  return baseReport({ id: UNFILTERABLE, kind: 'error', title: UNFILTERABLE, status: 500, fingerprint: UNFILTERABLE, environment: UNFILTERABLE, host: UNFILTERABLE, timezone: 'UTC' });
}
