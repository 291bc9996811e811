import { types } from 'node:util';
import { isPlainObject } from '../../core/objects';
import { nodeHttpObjectLabel, RAW_HEADER_KEYS } from '../httpObjects';
import { budgetText, cloneSession, type CloneLimits, type CloneSession } from './cloneSession';
import { TRUNCATED, truncate, unreadable } from './truncate';


/**
 * Copies ANY value into plain JSON-safe data within the limits. Nothing the value
 * does (throwing getters, Proxies, toJSON, cycles) escapes: what cannot be read
 * becomes '[Unreadable: <message>]'. Pass the report's session to share its budget.
 */
export function safeClone(value: unknown, limits: CloneLimits, session: CloneSession = cloneSession(limits)): unknown {
  return cloneValue(value, 0, { session, ancestors: new Set() });
}

/** Copies the named properties of `source`, each read only while the budget lasts. */
export function safeCloneProperties(source: object, keys: string[], session: CloneSession): Record<string, unknown> {
  const state: CloneState = { session, ancestors: new Set() };
  return copyEntries(keys, (i) => (source as Record<string, unknown>)[keys[i]], keys.length, 0, state);
}

interface CloneState {
  session: CloneSession;
  ancestors: Set<object>;
}

function outOfBudget(session: CloneSession): boolean {
  if (session.bytes > 0 && session.values > 0) return false;
  session.exhausted = true;
  return true;
}

function cloneValue(value: unknown, depth: number, state: CloneState): unknown {
  const session = state.session;
  if (outOfBudget(session)) return TRUNCATED;
  session.values -= 1;
  switch (typeof value) {
    case 'string':
      return budgetText(session, value, session.limits.maxStringLength);
    case 'number':
      session.bytes -= 12;
      // JSON would turn these into null and lose the information.
      return Number.isFinite(value) ? value : String(value);
    case 'boolean':
      session.bytes -= 6;
      return value;
    case 'bigint':
      return budgetText(session, value.toString(), session.limits.maxStringLength);
    case 'undefined':
      return undefined;
    case 'symbol':
      return budgetText(session, value.toString(), session.limits.maxStringLength);
    case 'function':
      session.bytes -= 24;
      return functionLabel(value);
  }
  if (value === null) {
    session.bytes -= 5;
    return null;
  }
  try {
    return cloneObject(value as object, depth, state);
  } catch (err) {
    return unreadable(err);
  }
}

function cloneObject(value: object, depth: number, state: CloneState): unknown {
  const { session } = state;
  const limits = session.limits;
  session.bytes -= 4;
  if (state.ancestors.has(value)) return '[Circular]';
  if (types.isDate(value)) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (Buffer.isBuffer(value)) return `[Buffer ${value.length} bytes]`;
  if (ArrayBuffer.isView(value)) return `[${value.constructor?.name ?? 'ArrayBufferView'} ${value.byteLength} bytes]`;
  if (types.isAnyArrayBuffer(value)) return `[ArrayBuffer ${value.byteLength} bytes]`;
  if (types.isRegExp(value)) return budgetText(session, String(value), limits.maxStringLength);
  if (types.isNativeError(value) || value instanceof Error) return cloneError(value as Error, session);
  if (types.isPromise(value)) return '[Promise]';
  if (types.isWeakMap(value) || types.isWeakSet(value)) return '[WeakCollection]';
  if (depth >= limits.maxDepth) return Array.isArray(value) ? '[Array]' : '[Object]';

  state.ancestors.add(value);
  try {
    if (Array.isArray(value)) return cloneArray(value, depth, state);
    if (types.isMap(value)) return cloneMap(value, depth, state);
    if (types.isSet(value)) return cloneArray(firstItems(value.values(), value.size, limits.maxArrayItems), depth, state, value.size);
    if (!isPlainObject(value)) {
      // Sockets, requests, responses and agents hold raw headers and connection state.
      const label = nodeHttpObjectLabel(value);
      if (label !== null) return label;
      const converted = viaToJSON(value);
      if (converted !== value) return cloneValue(converted, depth, state);
    }
    return cloneEntries(value, depth, state);
  } finally {
    state.ancestors.delete(value);
  }
}

function cloneArray(items: unknown[], depth: number, state: CloneState, length = items.length): unknown[] {
  const max = state.session.limits.maxArrayItems;
  const copy: unknown[] = [];
  const kept = Math.min(length, max);
  for (let i = 0; i < kept; i++) {
    if (outOfBudget(state.session)) {
      copy.push(`[truncated: ${length - i} more items]`);
      return copy;
    }
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

// Maps become objects (String(key) → value) so that the filter's key rules see their keys.
function cloneMap(map: Map<unknown, unknown>, depth: number, state: CloneState): Record<string, unknown> {
  const entries = firstItems(map.entries(), map.size, state.session.limits.maxKeys) as Array<[unknown, unknown]>;
  const keys: string[] = [];
  const values: unknown[] = [];
  for (const [key, item] of entries) {
    keys.push(typeof key === 'string' ? key : labelOf(key));
    values.push(item);
  }
  return copyEntries(keys, (i) => values[i], map.size, depth, state);
}

function labelOf(key: unknown): string {
  try {
    return typeof key === 'object' && key !== null ? `[${key.constructor?.name ?? 'Object'}]` : String(key);
  } catch {
    return '[key]';
  }
}

// Maps and Sets: only the items kept are ever copied out.
function firstItems(iterator: Iterator<unknown>, size: number, max: number): unknown[] {
  const items: unknown[] = [];
  const count = Math.min(size, max);
  for (let next = iterator.next(); !next.done && items.length < count; next = iterator.next()) items.push(next.value);
  return items;
}

function cloneEntries(value: object, depth: number, state: CloneState): Record<string, unknown> {
  const keys = Object.keys(value);
  return copyEntries(keys, (i) => (value as Record<string, unknown>)[keys[i]], keys.length, depth, state);
}

function copyEntries(keys: string[], read: (i: number) => unknown, total: number, depth: number, state: CloneState): Record<string, unknown> {
  const { session } = state;
  const { maxKeys, maxStringLength } = session.limits;
  const copy: Record<string, unknown> = {};
  const kept = Math.min(keys.length, maxKeys);
  for (let i = 0; i < kept; i++) {
    if (outOfBudget(session)) {
      copy['…'] = `[truncated: ${total - i} more properties]`;
      return copy;
    }
    const key = keys[i];
    let item: unknown;
    // The full key decides: once cut to length, "…_password" would no longer match.
    const long = key.length > maxStringLength;
    try {
      if (RAW_HEADER_KEYS.has(key)) item = '[raw headers]';
      else item = long && session.isHiddenKey(key) ? session.substitute : cloneValue(read(i), depth + 1, state);
    } catch (err) {
      item = unreadable(err);
    }
    session.bytes -= Math.min(key.length, maxStringLength) + 4;
    if (item !== undefined) copy[long ? truncate(key, maxStringLength) : key] = item;
  }
  if (total > maxKeys) copy['…'] = `[${total - maxKeys} more keys]`;
  return copy;
}

// Nested errors are summarised: their own report section is the cause chain, not extra.
function cloneError(value: Error, session: CloneSession): { type: string; message: string } {
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
  return { type, message: budgetText(session, message, session.limits.maxStringLength) };
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
