import type { Context } from 'koa';
import type { Report, ReportUser } from './Report';
import type { FingerprintOverride } from './fingerprint';
import { SafeReportFilter } from './scrub/SafeReportFilter';
import { gitSha } from './gitSha';
import { ANONYMOUS } from './anonymous';
import { DEFAULT_MAX_REPORT_BYTES } from './scrub/cloneSession';

/** How much of the data around an error a report keeps. */
export interface ReportLimits {
  /** Characters kept of any string (header values, body fields, extra props). */
  maxStringLength: number;
  /** Characters kept of an error message. */
  maxMessageLength: number;
  /** Characters kept of a stack trace. */
  maxStackLength: number;
  /** Stack frames parsed and kept. */
  maxFrames: number;
  /** JSON size of the body kept; a larger body becomes a preview string ending "…[truncated N bytes]". */
  maxBodyBytes: number;
  /** Nesting levels copied out of objects; deeper values become '[Object]' / '[Array]'. */
  maxDepth: number;
  /** Keys copied per object. */
  maxKeys: number;
  /** Items copied per array. */
  maxArrayItems: number;
  /**
   * JSON size of the whole report, enforced while it is built: past it, copying stops
   * and what was left out is marked ('[truncated: N more properties]'). Kept first: type,
   * message, stack and frames, the request line, headers and query, the user; the body,
   * then the error's extras, then its causes' extras go first.
   */
  maxReportBytes: number;
}

export interface ReportOptions {
  environment: string;
  /** The deployed version: TRIPWIRE_RELEASE, else the git sha of the app's checkout, else null. */
  release: string | null;
  /** Who made the request; a throwing getter reports the user as anonymous. */
  getUser: (ctx: Context) => ReportUser;
  /** Overrides the computed fingerprint when it returns a value (the result is hashed). */
  fingerprint?: (report: Report) => FingerprintOverride | undefined;
  /** Used unless the request sets its own on `ctx.state.reportFilter`. */
  filter: SafeReportFilter;
  limits: ReportLimits;
}

export type ReportOptionsInput = Partial<Omit<ReportOptions, 'limits'>> & { limits?: Partial<ReportLimits> };

export const defaultLimits: Readonly<ReportLimits> = Object.freeze({
  maxStringLength: 8192,
  maxMessageLength: 8192,
  maxStackLength: 16384,
  maxFrames: 50,
  maxBodyBytes: 16384,
  maxDepth: 8,
  maxKeys: 200,
  maxArrayItems: 100,
  maxReportBytes: DEFAULT_MAX_REPORT_BYTES,
});

export { ANONYMOUS };

/** Reads the user that authentication middleware left on `ctx.state.user`. */
export function userFromState(ctx: Context): ReportUser {
  const user: unknown = ctx.state?.user;
  if (!user || typeof user !== 'object') return { ...ANONYMOUS };
  const { id, _id, username, name, email } = user as Record<string, unknown>;
  const identifier = id ?? _id;
  const label = username ?? name ?? email;
  return {
    // String() rather than a type check: Mongo ObjectIds print as their hex id.
    id: identifier === undefined || identifier === null ? null : String(identifier),
    username: label === undefined || label === null ? ANONYMOUS.username : String(label),
  };
}

/** Fills in defaults and validates, naming the offending option in the error. */
export function reportOptions(input: ReportOptionsInput = {}): ReportOptions {
  if (input === null || typeof input !== 'object') throw new TypeError('report options must be an object');
  const defaults: Omit<ReportOptions, 'release'> = {
    environment: process.env.NODE_ENV || 'development',
    getUser: userFromState,
    filter: new SafeReportFilter(),
    limits: { ...defaultLimits },
  };
  const options: ReportOptions = {
    environment: input.environment ?? defaults.environment,
    // An explicit null means "no release"; only undefined falls back.
    release: input.release !== undefined ? input.release : process.env.TRIPWIRE_RELEASE || gitSha(),
    getUser: input.getUser ?? defaults.getUser,
    fingerprint: input.fingerprint,
    filter: input.filter ?? defaults.filter,
    limits: validateLimits({ ...defaults.limits, ...input.limits }, input.limits),
  };

  if (typeof options.environment !== 'string' || options.environment === '') {
    throw new TypeError('environment must be a non-empty string');
  }
  if (options.release !== null && typeof options.release !== 'string') throw new TypeError('release must be a string or null');
  if (typeof options.getUser !== 'function') throw new TypeError('getUser must be a function (ctx) => { id, username }');
  if (options.fingerprint !== undefined && typeof options.fingerprint !== 'function') {
    throw new TypeError('fingerprint must be a function (report) => string | string[] | undefined');
  }
  if (!options.filter || typeof options.filter.cleanse !== 'function') {
    throw new TypeError('filter must be a SafeReportFilter (or an object with a cleanse(report, ctx) method)');
  }
  return options;
}

function validateLimits(limits: ReportLimits, given: unknown): ReportLimits {
  if (given !== undefined && (given === null || typeof given !== 'object')) throw new TypeError('limits must be an object');
  for (const key of Object.keys(limits)) {
    if (!(key in defaultLimits)) throw new TypeError(`limits.${key} is not a known limit (known: ${Object.keys(defaultLimits).join(', ')})`);
    const value: unknown = limits[key as keyof ReportLimits];
    if (typeof value !== 'number' || !Number.isInteger(value)) throw new TypeError(`limits.${key} must be an integer`);
    if (value < 1) throw new RangeError(`limits.${key} must be at least 1, got ${value}`);
  }
  return limits;
}
