import type { Context } from 'koa';
import type { ErrorInfo, Report, RequestInfo } from '../Report';
import { baseReport } from '../baseReport';
import { rejectUnknownKeys } from '../../core/options';
import { sensitivePostParametersOf } from './sensitivePostParameterMarks';
import { checkSecretPatterns, DEFAULT_SECRET_PATTERNS, maskSecretShapes, type SecretPattern } from './secretShapes';
import { isRecord } from '../../core/objects';
import { mapHeldItems } from './heldItems';
import { cleanseReportStrings } from './reportStrings';
import { maskHiddenKeys, UNFILTERABLE } from './maskHiddenKeys';
import { maskAuthSchemes, maskJsonPairs, maskKeyValues, maskProsePairs, maskUrlUserinfo, type KeyRule } from './textRules';

export { UNFILTERABLE };

/**
 * The filter's options, declared once: each default, and how a given value is checked.
 * hiddenKeys: keys whose values are hidden wherever they appear (headers, query, body,
 * error extra), matched case-insensitively anywhere in the key. Django's default
 * (API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE plus HTTP_COOKIE) widened for HTTP: AUTH covers
 * authorization and proxy-authorization, COOKIE covers cookie and set-cookie, SESSION,
 * CSRF and XSRF cover session ids and anti-forgery tokens. Like Django it over-matches
 * ("keyboard") rather than leak.
 * cleansedSubstitute: Django's 20 asterisks.
 * secretPatterns: secrets recognised by their shape wherever they appear (JWTs, AWS access
 * key ids, PEM private keys, card numbers, GitHub, Slack, Stripe and Google tokens); `[]`
 * turns shape detection off.
 */
const FILTER_OPTIONS = {
  hiddenKeys: {
    default: /API|TOKEN|KEY|SECRET|PASS|SIGNATURE|AUTH|COOKIE|SESSION|CSRF|XSRF|CREDENTIAL/i as RegExp,
    check(value: unknown): RegExp {
      if (!(value instanceof RegExp)) throw new TypeError('SafeReportFilter: hiddenKeys must be a RegExp, e.g. /TOKEN|PASS/i');
      return value;
    },
  },
  cleansedSubstitute: {
    default: '********************' as string,
    check(value: unknown): string {
      if (typeof value !== 'string') throw new TypeError('SafeReportFilter: cleansedSubstitute must be a string');
      return value;
    },
  },
  secretPatterns: {
    default: DEFAULT_SECRET_PATTERNS as readonly SecretPattern[],
    check: (value: unknown): readonly SecretPattern[] => checkSecretPatterns('SafeReportFilter', value),
  },
};

type FilterOptionName = keyof typeof FILTER_OPTIONS;
export type SafeReportFilterOptions = { [K in FilterOptionName]?: (typeof FILTER_OPTIONS)[K]['default'] };

// Cleansed short texts (header values, keys, paths, function names) come back from report
// to report; they are remembered, boundedly, and forgotten when the rules change.
const MAX_CACHED_LENGTH = 200;
const MAX_CACHED_TEXTS = 2000;
// Card numbers sent as JSON numbers: 13 digits or more.
const SMALLEST_CARD_NUMBER = 1e12;

/**
 * Django's SafeExceptionReporterFilter for Koa reports. Subclass it to change
 * what is hidden, and set an instance on `ctx.state.reportFilter` to use it for
 * one request. Filtering never throws: a field that cannot be filtered becomes
 * '[unfilterable]'.
 */
export class SafeReportFilter {
  cleansedSubstitute: string = FILTER_OPTIONS.cleansedSubstitute.default;
  secretPatterns: readonly SecretPattern[] = FILTER_OPTIONS.secretPatterns.default;
  hiddenKeys: RegExp = FILTER_OPTIONS.hiddenKeys.default;

  // The filter's one cache: see cachedCleanse.
  private readonly cleansedTexts = new Map<string, string>();
  private cachedUnder: unknown[] = [];

  constructor(options: SafeReportFilterOptions = {}) {
    if (options === null || typeof options !== 'object') throw new TypeError('SafeReportFilter: options must be an object');
    rejectUnknownKeys('SafeReportFilter', options, Object.keys(FILTER_OPTIONS));
    const given = options as Record<string, unknown>;
    if (given.hiddenKeys !== undefined) this.hiddenKeys = FILTER_OPTIONS.hiddenKeys.check(given.hiddenKeys);
    if (given.cleansedSubstitute !== undefined) this.cleansedSubstitute = FILTER_OPTIONS.cleansedSubstitute.check(given.cleansedSubstitute);
    if (given.secretPatterns !== undefined) this.secretPatterns = FILTER_OPTIONS.secretPatterns.check(given.secretPatterns);
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
    // Not a report at all (a string would otherwise be spread into its characters).
    if (report === null || typeof report !== 'object' || Array.isArray(report)) return bareReport();
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
    // Credentials inside URLs and auth headers pasted into text can be in any string; a field
    // a hand-built report added gets the key rules there, as headers, query, body and extra did here.
    const hidden = (key: string) => this.isHiddenKey(key);
    const rules = {
      text: (text: string) => this.cleanseText(text),
      number: (value: number) => this.cleanseNumber(value),
      keys: (fields: Record<string, unknown>) => this.cleanseKeys(fields, hidden) as Record<string, unknown>,
    };
    const result = attempt(() => cleanseReportStrings(keyed, rules, UNFILTERABLE), null);
    return result === null ? unfilterableReport(keyed) : result;
  }

  /**
   * The request body, before the free-text rules run over it. Applies the marks of
   * sensitivePostParameters() and hides keys matching hiddenKeys at any depth.
   */
  cleanseBody(ctx: Context | undefined, body: unknown): unknown {
    const marks = sensitivePostParametersOf(ctx);
    // Django's sensitive_post_parameters() without names: every value hidden, the keys kept.
    if (marks === 'all') return this.cleanseKeys(body, () => true, true);
    const sensitive = new Set(marks ?? []);
    return this.cleanseKeys(body, (key) => sensitive.has(key) || this.isHiddenKey(key));
  }

  /**
   * Masks credentials in free text: URL userinfo, hidden names in key=value chains (a pair
   * quoted inside another's value too), JSON pairs (escaped JSON too) and prose
   * ("password: x"), Authorization values of any scheme, and secret shapes. Linear in the
   * length of the text whatever it holds (spec/security/linearTime.spec.ts).
   */
  cleanseText(text: string): string {
    return text.length <= MAX_CACHED_LENGTH ? this.cachedCleanse(text) : this.cleanseFreeText(text);
  }

  /** A number that is a secret's shape (a card number sent as a JSON number) becomes the substitute. */
  cleanseNumber(value: number): unknown {
    if (!Number.isInteger(value) || Math.abs(value) < SMALLEST_CARD_NUMBER) return value;
    const text = String(value);
    return maskSecretShapes(text, this.secretPatterns, this.cleansedSubstitute) === text ? value : this.cleansedSubstitute;
  }

  /** Replaces the value of every name that `isHidden` accepts (keys, `{ name, value }` pairs, `[name, value]` tuples) at any depth. */
  protected cleanseKeys(value: unknown, isHidden: (key: string) => boolean, hideAll = false): unknown {
    return maskHiddenKeys(value, { isHidden, substitute: this.cleansedSubstitute, hideAll });
  }

  // The rules are public fields a subclass or a caller may change at any time: what they
  // were when the cache was filled is compared on each use, and a change empties it.
  private cachedCleanse(text: string): string {
    const under = [this.hiddenKeys, this.secretPatterns, this.cleansedSubstitute, this.isHiddenKey];
    if (under.some((rule, i) => rule !== this.cachedUnder[i]) || this.cleansedTexts.size >= MAX_CACHED_TEXTS) {
      this.cleansedTexts.clear();
      this.cachedUnder = under;
    }
    let cleansed = this.cleansedTexts.get(text);
    if (cleansed === undefined) {
      cleansed = this.cleanseFreeText(text);
      this.cleansedTexts.set(text, cleansed);
    }
    return cleansed;
  }

  private cleanseFreeText(text: string): string {
    const substitute = this.cleansedSubstitute;
    let out = text;
    // Every key rule and URL rule needs one of = " : % (found at memchr speed); most
    // strings of a report have none of them.
    if (out.includes('=') || out.includes('"') || out.includes(':') || out.includes('%')) {
      out = maskUrlUserinfo(out, substitute);
      const rule: KeyRule = { isHidden: (name) => this.isHiddenKey(name), substitute };
      out = maskProsePairs(maskJsonPairs(maskKeyValues(out, rule), rule), rule);
    }
    out = maskAuthSchemes(out, substitute);
    return maskSecretShapes(out, this.secretPatterns, substitute);
  }

  private cleanseRequest(request: RequestInfo, ctx: Context | undefined, active: boolean): RequestInfo {
    // A hand-built request that is text: the text rules filter it whole (spread, it would be its characters).
    if (!isRecord(request)) return request;
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

  // A hand-built part that is not an object (a string thrown as the error) is left whole for
  // the text rules: spread, it would become its characters.
  private cleanseError(error: ErrorInfo): ErrorInfo {
    if (!isRecord(error)) return error;
    const hidden = (key: string) => this.isHiddenKey(key);
    const extra = (value: Record<string, unknown>) => attempt(() => this.cleanseKeys(value, hidden), UNFILTERABLE) as Record<string, unknown>;
    const http = (info: ErrorInfo['http']) =>
      isRecord(info) ? {
        ...info,
        requestHeaders: extra(info.requestHeaders) as Record<string, string>,
        responseHeaders: extra(info.responseHeaders) as Record<string, string>,
      } : info;
    const part = <T extends Omit<ErrorInfo, 'cause'>>(item: T): T => {
      if (!isRecord(item)) return item as T;
      const copy: T = { ...item, extra: extra(item.extra) };
      if (item.http) copy.http = http(item.http);
      if (Array.isArray(item.errors)) copy.errors = mapHeldItems(item.errors, (one) => part(one as T)) as T[];
      return copy;
    };
    const top = part(error);
    top.cause = Array.isArray(error.cause) ? mapHeldItems(error.cause, (one) => part(one as ErrorInfo)) as ErrorInfo['cause'] : [];
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

// Used when the report as a whole cannot be walked (a hand-built part that throws): keep
// what identifies the occurrence, drop every field that could carry a secret, whatever
// fields the report's parts hold.
const IDENTIFYING = ['id', 'kind', 'timestamp', 'timezone', 'status', 'fingerprint', 'environment', 'release', 'host', 'pid', 'occurrences', 'alert'] as const;

function unfilterableReport(report: Report): Report {
  const kept: Record<string, unknown> = {};
  for (const key of IDENTIFYING) if (Object.prototype.hasOwnProperty.call(report, key)) kept[key] = report[key];
  const internal = report.brokenLink?.internal;
  return {
    ...(kept as Pick<Report, (typeof IDENTIFYING)[number]>),
    title: UNFILTERABLE,
    error: report.error && { type: UNFILTERABLE, message: UNFILTERABLE, stack: null, frames: [], cause: [], extra: {} },
    brokenLink: report.brokenLink && { url: UNFILTERABLE, referer: UNFILTERABLE, internal: internal === true },
    request: null,
    user: { id: null, username: UNFILTERABLE },
  };
}

function bareReport(): Report {
  return baseReport({ id: UNFILTERABLE, kind: 'error', title: UNFILTERABLE, status: 500, fingerprint: UNFILTERABLE, environment: UNFILTERABLE, host: UNFILTERABLE, timezone: 'UTC' });
}
