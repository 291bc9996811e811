// The key walk of SafeReportFilter: a copy of structured data (headers, query, body, error
// extras) in which every value under a hidden name is the substitute. A name is a key, the
// `name` (or `key`) of a `{ name, value }` pair, or the head of a `[name, value]` tuple in
// a list: HTTP libraries and form serialisers hand pairs over in all three forms.

/** What a field becomes when filtering it failed: never the raw value. */
export const UNFILTERABLE = '[unfilterable]';

import { mapHeldItems } from './heldItems';

// Hand-built values (not from safeClone) could nest without end.
const MAX_NESTING = 64;
const PAIR_NAMES = ['name', 'key'] as const;

export interface KeyWalk {
  isHidden: (key: string) => boolean;
  substitute: string;
  /** Every value hidden, keys kept (Django's sensitive_post_parameters() without names). */
  hideAll?: boolean;
}

/** A copy of `value` with every value under a hidden name replaced; what cannot be read becomes UNFILTERABLE. */
export function maskHiddenKeys(value: unknown, walk: KeyWalk): unknown {
  return maskValue(value, walk, 0, new Set());
}

function maskValue(value: unknown, walk: KeyWalk, depth: number, seen: Set<object>): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value !== 'object') return walk.hideAll ? walk.substitute : value;
  if (depth >= MAX_NESTING || seen.has(value)) return UNFILTERABLE;
  seen.add(value);
  try {
    return Array.isArray(value) ? maskList(value, walk, depth, seen) : maskRecord(value as Record<string, unknown>, walk, depth, seen);
  } finally {
    seen.delete(value);
  }
}

function maskList(list: unknown[], walk: KeyWalk, depth: number, seen: Set<object>): unknown[] {
  return mapHeldItems(list, (original) => {
    try {
      return isHiddenTuple(original, walk) ? [(original as unknown[])[0], walk.substitute] : maskValue(original, walk, depth + 1, seen);
    } catch {
      return UNFILTERABLE;
    }
  });
}

function maskRecord(record: Record<string, unknown>, walk: KeyWalk, depth: number, seen: Set<object>): Record<string, unknown> {
  const pairHidden = !walk.hideAll && isHiddenPair(record, walk);
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(record)) {
    let item: unknown;
    try {
      const hidden = !walk.hideAll && (walk.isHidden(key) || (pairHidden && key === 'value'));
      item = hidden ? walk.substitute : maskValue(record[key], walk, depth + 1, seen);
    } catch {
      item = UNFILTERABLE;
    }
    copy[key] = item;
  }
  return copy;
}

// ['password', 'x'] as an item of a list (Object.entries, URLSearchParams, header lists).
function isHiddenTuple(item: unknown, walk: KeyWalk): boolean {
  if (walk.hideAll || !Array.isArray(item) || item.length !== 2) return false;
  const name: unknown = item[0];
  return typeof name === 'string' && walk.isHidden(name);
}

// { name: 'password', value: 'x' } (HAR headers, form fields) or { key: 'token', value: 'x' }.
function isHiddenPair(record: Record<string, unknown>, walk: KeyWalk): boolean {
  if (!Object.prototype.hasOwnProperty.call(record, 'value')) return false;
  for (const field of PAIR_NAMES) {
    const name = record[field];
    if (typeof name === 'string' && walk.isHidden(name)) return true;
  }
  return false;
}
