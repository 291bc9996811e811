import { isPlainObject } from '../../core/objects';
// Keys inside stored request and error data are user data, and MongoDB refuses some:
// the driver cannot write a NUL byte in a key (BSON keys are C strings,
// https://bsonspec.org/spec.html), a key starting with `$` reads as an operator and a
// `.` as a path (https://www.mongodb.com/docs/manual/reference/limits/#naming-restrictions).
// Those characters are stored as look-alikes and swapped back when read. A key that
// already held a look-alike reads back as the original character: a display-only
// ambiguity, never an operator. The same table serves repairReport.ts and the breakdown
// counters, whose keys are values from reports.

/** Refused character → the look-alike stored for it. */
export const STORED_KEY_ESCAPES: Readonly<Record<string, string>> = Object.freeze({
  '\u0000': '\u2400',
  $: '\uFF04',
  '.': '\uFF0E',
});

const STORED = STORED_KEY_ESCAPES;
const READ: Record<string, string> = Object.fromEntries(Object.entries(STORED).map(([raw, stored]) => [stored, raw]));
const REFUSED = /[\u0000$.]/g;
const LOOK_ALIKES = /[\u2400\uFF04\uFF0E]/g;
// Scrubbed reports are shallow; the cap only guards against a pathological value
// (the server refuses documents nested deeper than 100 levels).
const MAX_DEPTH = 64;

export function escapeKeys<T>(value: T): T {
  return mapKeys(value, (key) => key.replace(REFUSED, (c) => STORED[c]), 0) as T;
}

export function unescapeKeys<T>(value: T): T {
  return mapKeys(value, (key) => key.replace(LOOK_ALIKES, (c) => READ[c]), 0) as T;
}

function mapKeys(value: unknown, rename: (key: string) => string, depth: number): unknown {
  if (depth > MAX_DEPTH) return '[too deep]';
  if (Array.isArray(value)) return value.map((item) => mapKeys(item, rename, depth + 1));
  if (!isPlainObject(value)) return value;
  // fromEntries defines own properties, so a `__proto__` key stays a key and never a prototype.
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [rename(key), mapKeys(item, rename, depth + 1)]));
}

/** One key (a value used as a key, like a breakdown's release) as stored. */
export function escapeKey(key: string): string {
  return key.replace(REFUSED, (c) => STORED[c]);
}

export function unescapeKey(key: string): string {
  return key.replace(LOOK_ALIKES, (c) => READ[c]);
}
