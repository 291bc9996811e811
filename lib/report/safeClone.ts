import { types } from 'node:util';
import { isPlainObject } from '../core/isPlainObject';

/** The subset of the report limits that bounds how much of a value is copied. */
export interface CloneLimits {
  maxStringLength: number;
  maxDepth: number;
  maxKeys: number;
  maxArrayItems: number;
}

export const TRUNCATED = '…[truncated]';

// Per-object limits alone still allow maxKeys^maxDepth values; a report must stay
// small whatever the app hands us, so one clone visits at most this many values.
const MAX_VALUES_PER_CLONE = 10_000;

/**
 * Copies ANY value into plain JSON-safe data within the limits. Nothing the value
 * does (throwing getters, Proxies, toJSON, cycles) escapes: what cannot be read
 * becomes '[Unreadable: <message>]'.
 */
export function safeClone(value: unknown, limits: CloneLimits): unknown {
  const state: CloneState = { limits, ancestors: new Set(), budget: MAX_VALUES_PER_CLONE };
  return cloneValue(value, 0, state);
}

/** Cuts a string to `max` characters with a visible marker, never splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return text.slice(0, end) + TRUNCATED;
}

/** A message for anything thrown, itself unable to throw. */
export function describeThrown(thrown: unknown): string {
  try {
    if (thrown instanceof Error) {
      const message: unknown = thrown.message;
      return typeof message === 'string' ? message : String(message);
    }
    return String(thrown);
  } catch {
    return 'unknown error';
  }
}

export function unreadable(thrown: unknown): string {
  return `[Unreadable: ${truncate(describeThrown(thrown), 200)}]`;
}

interface CloneState {
  limits: CloneLimits;
  ancestors: Set<object>;
  budget: number;
}

function cloneValue(value: unknown, depth: number, state: CloneState): unknown {
  if (state.budget <= 0) return TRUNCATED;
  state.budget -= 1;
  switch (typeof value) {
    case 'string':
      return truncate(value, state.limits.maxStringLength);
    case 'number':
      // JSON would turn these into null and lose the information.
      return Number.isFinite(value) ? value : String(value);
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'undefined':
      return undefined;
    case 'symbol':
      return truncate(value.toString(), state.limits.maxStringLength);
    case 'function':
      return functionLabel(value);
  }
  if (value === null) return null;
  try {
    return cloneObject(value as object, depth, state);
  } catch (err) {
    return unreadable(err);
  }
}

function cloneObject(value: object, depth: number, state: CloneState): unknown {
  if (state.ancestors.has(value)) return '[Circular]';
  if (types.isDate(value)) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (Buffer.isBuffer(value)) return `[Buffer ${value.length} bytes]`;
  if (ArrayBuffer.isView(value)) return `[${value.constructor?.name ?? 'ArrayBufferView'} ${value.byteLength} bytes]`;
  if (types.isAnyArrayBuffer(value)) return `[ArrayBuffer ${value.byteLength} bytes]`;
  if (types.isRegExp(value)) return truncate(String(value), state.limits.maxStringLength);
  if (types.isNativeError(value) || value instanceof Error) return cloneError(value as Error, state);
  if (types.isPromise(value)) return '[Promise]';
  if (types.isWeakMap(value) || types.isWeakSet(value)) return '[WeakCollection]';
  if (depth >= state.limits.maxDepth) return Array.isArray(value) ? '[Array]' : '[Object]';

  state.ancestors.add(value);
  try {
    if (Array.isArray(value)) return cloneArray(value, depth, state);
    if (types.isMap(value)) return cloneArray(firstItems(value.entries(), value.size, state), depth, state, value.size);
    if (types.isSet(value)) return cloneArray(firstItems(value.values(), value.size, state), depth, state, value.size);
    if (!isPlainObject(value)) {
      const converted = viaToJSON(value);
      if (converted !== value) return cloneValue(converted, depth, state);
    }
    return cloneEntries(value, depth, state);
  } finally {
    state.ancestors.delete(value);
  }
}

function cloneArray(items: unknown[], depth: number, state: CloneState, length = items.length): unknown[] {
  const max = state.limits.maxArrayItems;
  const copy: unknown[] = [];
  for (let i = 0; i < Math.min(length, max); i++) {
    let item: unknown;
    try {
      item = cloneValue(items[i], depth + 1, state);
    } catch (err) {
      item = unreadable(err);
    }
    copy.push(item === undefined ? null : item);
  }
  if (length > max) copy.push(`[${length - max} more items]`);
  return copy;
}

// Maps and Sets are reported as arrays; only the items kept are ever copied out.
function firstItems(iterator: Iterator<unknown>, size: number, state: CloneState): unknown[] {
  const items: unknown[] = [];
  const max = Math.min(size, state.limits.maxArrayItems);
  for (let next = iterator.next(); !next.done && items.length < max; next = iterator.next()) items.push(next.value);
  return items;
}

function cloneEntries(value: object, depth: number, state: CloneState): Record<string, unknown> {
  const max = state.limits.maxKeys;
  const keys = Object.keys(value);
  const copy: Record<string, unknown> = {};
  for (let i = 0; i < Math.min(keys.length, max); i++) {
    const key = keys[i];
    let item: unknown;
    try {
      item = cloneValue((value as Record<string, unknown>)[key], depth + 1, state);
    } catch (err) {
      item = unreadable(err);
    }
    if (item !== undefined) copy[truncate(key, state.limits.maxStringLength)] = item;
  }
  if (keys.length > max) copy['…'] = `[${keys.length - max} more keys]`;
  return copy;
}

// Nested errors are summarised: their own report section is the cause chain, not extra.
function cloneError(value: Error, state: CloneState): { type: string; message: string } {
  let type = 'Error';
  try {
    type = value.constructor?.name || String(value.name) || 'Error';
  } catch {
    // Keep the generic name: the error's class could not be read.
  }
  let message: string;
  try {
    message = String(value.message);
  } catch (err) {
    message = unreadable(err);
  }
  return { type, message: truncate(message, state.limits.maxStringLength) };
}

function viaToJSON(value: object): unknown {
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  return typeof toJSON === 'function' ? toJSON.call(value) : value;
}


function functionLabel(fn: Function): string {
  try {
    return fn.name ? `[Function: ${fn.name}]` : '[Function]';
  } catch {
    return '[Function]';
  }
}
