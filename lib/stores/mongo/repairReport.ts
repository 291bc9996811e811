import type { Report } from '../../report/Report';
import { isPlainObject } from '../../core/objects';
import { STORED_KEY_ESCAPES } from './escapeKeys';

/**
 * Makes a report MongoDB refused into one it can take (MongoStore's write path calls it
 * for each event the server or the driver refused, then stores what it gives): every key character MongoDB
 * refuses is escaped (NUL, and `$`/`.` as the stores do, with the full-width look-alikes
 * they read back), long strings, arrays and objects are cut, and if it is still over
 * `budgetBytes` of JSON, the bulky parts go first (extras, bodies, causes, headers),
 * each replaced by a marker saying what was cut. The report's identity (id, kind,
 * fingerprint, time, status, title) is kept.
 */
export function repairReport(report: Report, budgetBytes = DEFAULT_BUDGET): { report: Report; cut: string[] } {
  const cut = new Set<string>();
  const repaired = sanitize(report, 0, cut) as Report;
  for (const [where, remove] of SHED) {
    if (sizeOf(repaired) <= budgetBytes) break;
    if (remove(repaired)) cut.add(`${where} removed`);
  }
  if (repaired.error && isPlainObject(repaired.error.extra)) {
    repaired.error.extra = { ...repaired.error.extra, tripwireRepaired: cut.size ? [...cut].join('; ') : 'keys escaped' };
  }
  return { report: repaired, cut: [...cut] };
}

const DEFAULT_BUDGET = 64 * 1024;
const MAX_STRING = 8 * 1024;
const MAX_ITEMS = 100;
const MAX_KEYS = 200;
const MAX_DEPTH = 16;
const REMOVED = '[removed: the report was too large to store]';

// Escapes keep to what the store reads back (./escapeKeys.ts).
// Lone surrogates cannot be written as UTF-8; they become the replacement character.
const REFUSED_IN_KEYS = /[\u0000$.]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function escapeKey(key: string): string {
  const escaped = key.replace(REFUSED_IN_KEYS, (c) => STORED_KEY_ESCAPES[c] ?? '\uFFFD');
  return escaped === '' ? '\u2205' : escaped;
}

function sanitize(value: unknown, depth: number, cut: Set<string>): unknown {
  if (typeof value === 'string') {
    if (value.length <= MAX_STRING) return value;
    cut.add('long strings cut');
    return `${value.slice(0, MAX_STRING)}…[truncated: ${value.length - MAX_STRING} more characters]`;
  }
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (depth >= MAX_DEPTH) {
    cut.add('deep values cut');
    return '[truncated: too deep]';
  }
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((item) => sanitize(item, depth + 1, cut));
    if (value.length > MAX_ITEMS) items.push(`[truncated: ${value.length - MAX_ITEMS} more items]`);
    return items;
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    const keys = Object.keys(value);
    for (const key of keys.slice(0, MAX_KEYS)) out[escapeKey(key)] = sanitize(value[key], depth + 1, cut);
    if (keys.length > MAX_KEYS) out['…'] = `[truncated: ${keys.length - MAX_KEYS} more properties]`;
    return out;
  }
  // A report is plain data; anything else (a Date, a class instance from a custom builder) is kept as text.
  try {
    return value instanceof Date ? value.toISOString() : String(value).slice(0, MAX_STRING);
  } catch {
    return '[unprintable]';
  }
}

function sizeOf(report: Report): number {
  try {
    return Buffer.byteLength(JSON.stringify(report));
  } catch {
    return Infinity;
  }
}

// What goes first when a report is still too large: extras, bodies, causes, then headers and queries.
const SHED: Array<[string, (report: Report) => boolean]> = [
  ['error.extra', (r) => !!r.error && ((r.error.extra = { removed: REMOVED }), true)],
  ['request.body', (r) => !!r.request && ((r.request.body = REMOVED), true)],
  ['error.cause', (r) => !!r.error && r.error.cause.length > 0 && ((r.error.cause = []), true)],
  ['request.headers', (r) => !!r.request && ((r.request.headers = { removed: REMOVED }), true)],
  ['request.query', (r) => !!r.request && ((r.request.query = { removed: REMOVED }), true)],
  ['error.frames', (r) => !!r.error && r.error.frames.length > 20 && ((r.error.frames = r.error.frames.slice(0, 20)), true)],
  ['error.stack', (r) => !!r.error && typeof r.error.stack === 'string' && ((r.error.stack = r.error.stack.slice(0, 2048)), true)],
];
