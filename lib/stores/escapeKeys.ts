import { isPlainObject } from '../core/isPlainObject';
// MongoDB reads a key that starts with `$` as an operator and a key with `.` as a
// path. Request bodies, query strings, headers and error properties are user data,
// so their keys are stored with those two characters swapped for their full-width
// look-alikes, and swapped back when read. A key that already held a full-width
// `＄` or `．` reads back as `$` or `.`: a display-only ambiguity, never an operator.

const DOLLAR = '\uFF04';
const DOT = '\uFF0E';
// Scrubbed reports are shallow; the cap only guards against a pathological value.
const MAX_DEPTH = 64;

export function escapeKeys<T>(value: T): T {
  return mapKeys(value, (key) => key.replace(/[$.]/g, (c) => (c === '$' ? DOLLAR : DOT)), 0) as T;
}

export function unescapeKeys<T>(value: T): T {
  return mapKeys(value, (key) => key.replace(/[\uFF04\uFF0E]/g, (c) => (c === DOLLAR ? '$' : '.')), 0) as T;
}

function mapKeys(value: unknown, rename: (key: string) => string, depth: number): unknown {
  if (depth > MAX_DEPTH) return '[too deep]';
  if (Array.isArray(value)) return value.map((item) => mapKeys(item, rename, depth + 1));
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[rename(key)] = mapKeys(item, rename, depth + 1);
  return out;
}

