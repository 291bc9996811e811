import { types } from 'node:util';
import type { ErrorInfo } from './Report';
import type { ReportLimits } from './options';
import { asFingerprintOverride, type FingerprintOverride } from './fingerprint';
import { safeClone, truncate, unreadable } from './safeClone';
import { parseStack } from './stackFrames';

const MAX_CAUSES = 5;

// Shown elsewhere in the report (message, stack, type, status, cause chain) or
// only meaningful to the HTTP layer (expose, headers) or to grouping (fingerprint).
const NOT_EXTRA = new Set(['message', 'stack', 'name', 'status', 'statusCode', 'expose', 'headers', 'fingerprint', 'cause']);

// V8 stacks are "<type>: <message>" then one "    at ..." line per frame.
const FIRST_FRAME = '\n    at ';

/**
 * Describes anything that was thrown: Errors, strings, numbers, null, plain
 * objects, errors whose getters throw, Proxies that throw on every operation.
 * Never throws; unreadable parts read '[Unreadable: <message>]'.
 */
export function errorInfo(thrown: unknown, limits: ReportLimits): ErrorInfo {
  const cause: ErrorInfo['cause'] = [];
  const seen = new Set<unknown>([thrown]);
  for (let current = readCause(thrown); current !== undefined && cause.length < MAX_CAUSES; current = readCause(current)) {
    if (seen.has(current)) break;
    seen.add(current);
    cause.push(describe(current, limits));
  }
  return { ...describe(thrown, limits), cause };
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

function describe(thrown: unknown, limits: ReportLimits): Omit<ErrorInfo, 'cause'> {
  const rawStack = readStack(thrown);
  const split = rawStack === null ? -1 : rawStack.indexOf(FIRST_FRAME);
  const frameLines = rawStack !== null && split !== -1 ? rawStack.slice(split) : '';
  return {
    type: errorType(thrown),
    message: truncate(errorMessage(thrown, limits), limits.maxMessageLength),
    // The stack repeats the message: cut that part on its own so a huge message
    // cannot push every frame out of the kept stack.
    stack:
      rawStack === null
        ? null
        : truncate(truncate(split === -1 ? rawStack : rawStack.slice(0, split), limits.maxMessageLength) + frameLines, limits.maxStackLength),
    frames: parseStack(frameLines, limits.maxFrames),
    extra: errorExtra(thrown, limits),
  };
}

function errorMessage(thrown: unknown, limits: ReportLimits): string {
  try {
    if (typeof thrown === 'string') return thrown;
    if (thrown === null || typeof thrown !== 'object') return String(thrown);
    const message: unknown = (thrown as { message?: unknown }).message;
    if (typeof message === 'string') return message;
    if (isError(thrown)) return message === undefined ? '' : String(message);
    // A thrown plain object: show its data as the message.
    return JSON.stringify(safeClone(thrown, limits)) ?? '';
  } catch (err) {
    return unreadable(err);
  }
}

function readStack(thrown: unknown): string | null {
  try {
    if (thrown === null || typeof thrown !== 'object') return null;
    const stack: unknown = (thrown as { stack?: unknown }).stack;
    return typeof stack === 'string' ? stack : null;
  } catch (err) {
    return unreadable(err);
  }
}

function errorExtra(thrown: unknown, limits: ReportLimits): Record<string, unknown> {
  if (thrown === null || typeof thrown !== 'object') return {};
  let keys: string[];
  try {
    keys = Object.keys(thrown);
  } catch (err) {
    return { unreadable: unreadable(err) };
  }
  const extra: Record<string, unknown> = {};
  for (const key of keys.filter((name) => !NOT_EXTRA.has(name)).slice(0, limits.maxKeys)) {
    try {
      extra[key] = (thrown as Record<string, unknown>)[key];
    } catch (err) {
      extra[key] = unreadable(err);
    }
  }
  return safeClone(extra, limits) as Record<string, unknown>;
}

function readCause(thrown: unknown): unknown {
  const cause = read(thrown, 'cause');
  return cause === null ? undefined : cause;
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
