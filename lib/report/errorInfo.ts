import { types } from 'node:util';
import type { ErrorInfo } from './Report';
import type { ReportLimits } from './reportOptions';
import { asFingerprintOverride, type FingerprintOverride } from './fingerprint';
import { httpClientSummary } from './httpClientError';
import { hiddenRejections, maskEchoes } from './mongooseErrors';
import { safeClone, safeCloneProperties } from './scrub/safeClone';
import { budgetText, charge, cloneSession, type CloneSession } from './scrub/cloneSession';
import { truncate, unreadable } from './scrub/truncate';
import { parseStack } from './parsedFrames';

const MAX_CAUSES = 5;
const MAX_LISTED_ERRORS = 10;

// Shown elsewhere in the report (message, stack, type, status, cause chain) or
// only meaningful to the HTTP layer (expose, headers) or to grouping (fingerprint).
const NOT_EXTRA = new Set(['message', 'stack', 'name', 'status', 'statusCode', 'expose', 'headers', 'fingerprint', 'cause']);


type Described = Omit<ErrorInfo, 'cause'>;

/**
 * Describes anything that was thrown: Errors, strings, numbers, null, plain
 * objects, errors whose getters throw, Proxies that throw on every operation.
 * Never throws; unreadable parts read '[Unreadable: <message>]'. What is kept first
 * when the report's budget runs short: type, message, stack and frames of the error,
 * then of its causes; its extras, then the causes' extras, go first.
 */
export function errorInfo(
  thrown: unknown,
  limits: ReportLimits,
  session: CloneSession = cloneSession(limits),
  /** Runs after the cores and before the extras: the report's request is copied there. */
  beforeExtras?: () => void,
): ErrorInfo {
  const chain: unknown[] = [];
  const seen = new Set<unknown>([thrown]);
  for (let current = readCause(thrown); current !== undefined && chain.length < MAX_CAUSES; current = readCause(current)) {
    if (seen.has(current)) break;
    seen.add(current);
    chain.push(current);
  }
  const top = describeCore(thrown, limits, session);
  // Deep causes are the first thing dropped when the budget is spent.
  const causes: Described[] = [];
  for (const cause of chain) if (session.bytes > 0) causes.push(describeCore(cause, limits, session));
  beforeExtras?.();
  addExtras(top, thrown, limits, session);
  causes.forEach((cause, i) => addExtras(cause, chain[i], limits, session));
  // `top` is this call's own object: the key is added in place rather than by a spread
  // copy ({ ...top, cause }), which V8 makes slowly when the key is new to its source.
  const info = top as ErrorInfo;
  info.cause = causes;
  return info;
}

/** The grouping an app asked for with `err.fingerprint`, if usable. */
export function errorFingerprintOverride(thrown: unknown): FingerprintOverride | null {
  return asFingerprintOverride(read(thrown, 'fingerprint'));
}

export function errorType(thrown: unknown): string {
  if (thrown === null) return 'null';
  if (typeof thrown !== 'object') return typeof thrown;
  try {
    if (!isError(thrown)) return 'object';
  } catch {
    // A Proxy refusing even its prototype: nothing says it is an Error.
    return 'object';
  }
  try {
    const constructorName: unknown = thrown.constructor?.name;
    if (typeof constructorName === 'string' && constructorName !== '' && constructorName !== 'Object') return constructorName;
    const name: unknown = (thrown as Error).name;
    return typeof name === 'string' && name !== '' ? name : 'Error';
  } catch {
    return 'Error';
  }
}

// Type, message, stack, frames: what identifies the error, charged to the budget first.
function describeCore(thrown: unknown, limits: ReportLimits, session: CloneSession): Described {
  const rawStack = readStack(thrown);
  const rejected = hiddenRejections(thrown, session.isHiddenKey);
  const mask = (text: string) => (rejected.length > 0 ? maskEchoes(text, rejected, session.substitute) : text);
  const message = mask(truncate(errorMessage(thrown, limits, session), limits.maxMessageLength));
  // The stack repeats the message: cut that part on its own so a huge message
  // cannot push every frame out of the kept stack.
  const parsed = rawStack === null ? null : parseStack(rawStack, ...nameAndMessage(thrown), limits.maxFrames);
  const stack = parsed === null ? null : mask(truncate(truncate(parsed.header, limits.maxMessageLength) + parsed.text, limits.maxStackLength));
  const frames = parsed?.frames ?? [];
  charge(session, message);
  charge(session, stack);
  session.bytes -= frames.length * 100;
  return { type: errorType(thrown), message, stack, frames, extra: {} };
}

function addExtras(info: Described, thrown: unknown, limits: ReportLimits, session: CloneSession): void {
  const http = httpClientSummary(thrown, session);
  if (http) info.http = http.info;
  const errors = listedErrors(thrown);
  if (errors) {
    info.errors = errors.slice(0, MAX_LISTED_ERRORS).map((item) => {
      const listed = describeCore(item, limits, session);
      addExtras(listed, item, limits, session);
      return listed;
    });
  }
  const extra = errorExtra(thrown, limits, session, http?.replaced, errors !== null);
  const rejected = hiddenRejections(thrown, session.isHiddenKey);
  info.extra = rejected.length > 0 ? (maskDeep(extra, rejected, session.substitute, 0) as Record<string, unknown>) : extra;
}

// A CastError of a hidden path also holds its value in `value`, `stringValue` and `reason`.
function maskDeep(value: unknown, rejected: string[], substitute: string, depth: number): unknown {
  if (typeof value === 'string') return rejected.includes(value) ? substitute : maskEchoes(value, rejected, substitute);
  if (typeof value === 'number' || typeof value === 'boolean') return rejected.includes(String(value)) ? substitute : value;
  if (value === null || typeof value !== 'object' || depth > 16) return value;
  if (Array.isArray(value)) return value.map((item) => maskDeep(item, rejected, substitute, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = maskDeep((value as Record<string, unknown>)[key], rejected, substitute, depth + 1);
  return copy;
}

function errorMessage(thrown: unknown, limits: ReportLimits, session: CloneSession): string {
  try {
    if (typeof thrown === 'string') return thrown;
    if (thrown === null || typeof thrown !== 'object') return String(thrown);
    const message: unknown = (thrown as { message?: unknown }).message;
    if (typeof message === 'string') return message;
    if (isError(thrown)) return message === undefined ? '' : String(message);
    // A thrown plain object: show its data as the message, hidden keys already masked
    // (the filter's text rules then see a JSON pair like any other).
    const copy = safeClone(thrown, { ...limits, maxReportBytes: limits.maxMessageLength }, cloneSession(limits, { isHiddenKey: session.isHiddenKey, cleansedSubstitute: session.substitute }));
    return JSON.stringify(copy) ?? '';
  } catch (err) {
    return unreadable(err);
  }
}

export function readStack(thrown: unknown): string | null {
  try {
    if (thrown === null || typeof thrown !== 'object') return null;
    const stack: unknown = (thrown as { stack?: unknown }).stack;
    return typeof stack === 'string' ? stack : null;
  } catch (err) {
    return unreadable(err);
  }
}

function errorExtra(
  thrown: unknown,
  limits: ReportLimits,
  session: CloneSession,
  replaced: ReadonlySet<string> | undefined,
  listsErrors: boolean,
): Record<string, unknown> {
  if (thrown === null || typeof thrown !== 'object') return {};
  let keys: string[];
  try {
    keys = Object.keys(thrown);
  } catch (err) {
    return { unreadable: budgetText(session, unreadable(err), 300) };
  }
  const kept = keys.filter((key) => !NOT_EXTRA.has(key) && !replaced?.has(key) && !(listsErrors && key === 'errors'));
  // Read one by one while the budget lasts: a getter past it is never called.
  return safeCloneProperties(thrown, kept, session);
}

// AggregateError keeps its errors in a non-enumerable `errors` array.
function listedErrors(thrown: unknown): unknown[] | null {
  if (thrown === null || typeof thrown !== 'object') return null;
  try {
    if (!isError(thrown)) return null;
    const errors = (thrown as { errors?: unknown }).errors;
    return Array.isArray(errors) ? errors : null;
  } catch {
    return null;
  }
}

function readCause(thrown: unknown): unknown {
  const cause = read(thrown, 'cause');
  return cause === null ? undefined : cause;
}

/** The error's `name` and `message` as read now (undefined where unreadable): what its stack's header was written from. */
export function nameAndMessage(thrown: unknown): [unknown, unknown] {
  return [read(thrown, 'name'), read(thrown, 'message')];
}

function read(thrown: unknown, key: string): unknown {
  try {
    return thrown !== null && typeof thrown === 'object' ? (thrown as Record<string, unknown>)[key] : undefined;
  } catch {
    return undefined;
  }
}

function isError(value: object): value is Error {
  return types.isNativeError(value) || value instanceof Error;
}
