// Per-issue breakdowns (issue 20, item 3): occurrences by release, environment, route,
// browser family and host, counted on the group in the same save, in day buckets (a ring
// of 15 slots, one per UTC day) so the last 14 days can be summed without reading events.
// Bounded: at most MAX_VALUES_PER_DAY values per dimension and day, the rest as "(other)".
import type { BreakdownRow, IssueBreakdowns } from '../../contracts/issueStore';
import type { Report } from '../../report/Report';

export const DIMENSIONS = ['release', 'environment', 'route', 'browser', 'host'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export const BREAKDOWN_MAX_DAYS = 14;
export const BREAKDOWN_SLOTS = BREAKDOWN_MAX_DAYS + 1;
export const MAX_VALUES_PER_DAY = 20;
const ROWS_PER_LIST = 10;
const MAX_VALUE_LENGTH = 200;
const OTHER = '(other)';
const DAY_MS = 86_400_000;

export type DimensionCounts = Record<Dimension, Record<string, number>>;
export interface BreakdownSlot extends DimensionCounts {
  day: number;
  total: number;
}

export function dayNumber(at: Date): number {
  return Math.floor(at.getTime() / DAY_MS);
}

/** Browser family from a User-Agent, with the checks in the order the strings nest (Edge says Chrome, Chrome says Safari). */
export function browserFamily(userAgent: string | null | undefined): string {
  if (typeof userAgent !== 'string' || userAgent === '') return 'Other';
  const ua = userAgent.slice(0, 512);
  if (/bot|crawl|spider|slurp|preview|monitor/i.test(ua)) return 'bot';
  if (/^curl\//i.test(ua)) return 'curl';
  if (/\bEdg(e|A|iOS)?\//.test(ua)) return 'Edge';
  if (/\b(Firefox|FxiOS)\//.test(ua)) return 'Firefox';
  if (/\b(Chrome|Chromium|CriOS)\//.test(ua)) return 'Chrome';
  if (/\bSafari\//.test(ua) && /\bVersion\//.test(ua)) return 'Safari';
  return 'Other';
}

/** The value of each dimension for one report (null: the report has none). */
export function breakdownValues(report: Report): Record<Dimension, string | null> {
  const request = report.request;
  const cut = (value: unknown) => (typeof value === 'string' && value !== '' ? value.slice(0, MAX_VALUE_LENGTH) : null);
  return {
    release: cut(report.release) ?? '(none)',
    environment: cut(report.environment),
    route: cut(request?.route) ?? cut(request?.path),
    browser: request ? browserFamily(request.userAgent) : null,
    host: cut(report.host),
  };
}

export function emptySlot(day: number): BreakdownSlot {
  return { day, total: 0, release: {}, environment: {}, route: {}, browser: {}, host: {} };
}

/**
 * Counts `filed` (reports with the time each is filed at) into day slots. `current(slot)`
 * is the slot as stored (or undefined); `encode` makes a value a storable key. Resolves
 * the increments per slot: `fresh` when the slot held another day and must be reset.
 */
export function breakdownIncrements(
  filed: Array<{ report: Report; at: Date; occurrences: number }>,
  now: Date,
  current: (slot: number) => Pick<BreakdownSlot, 'day'> & Partial<DimensionCounts> | undefined,
  encode: (value: string) => string = (v) => v,
): Map<number, BreakdownSlot & { fresh: boolean }> {
  const today = dayNumber(now);
  const planned = new Map<number, BreakdownSlot & { fresh: boolean }>();
  for (const { report, at, occurrences } of filed) {
    const day = dayNumber(at);
    if (day <= today - BREAKDOWN_SLOTS || day > today) continue;
    const slot = day % BREAKDOWN_SLOTS;
    let plan = planned.get(slot);
    if (plan && plan.day !== day) continue;
    if (!plan) {
      const stored = current(slot);
      if (stored && stored.day > day) continue;
      plan = { ...emptySlot(day), fresh: !stored || stored.day !== day };
      planned.set(slot, plan);
    }
    const stored = plan.fresh ? undefined : current(slot);
    plan.total += occurrences;
    const values = breakdownValues(report);
    for (const dimension of DIMENSIONS) {
      const value = values[dimension];
      if (value === null) continue;
      let key = encode(value);
      const known = { ...(stored?.[dimension] ?? {}), ...plan[dimension] };
      if (!(key in known) && Object.keys(known).length >= MAX_VALUES_PER_DAY) key = encode(OTHER);
      plan[dimension][key] = (plan[dimension][key] ?? 0) + occurrences;
    }
  }
  return planned;
}

/** Sums the slots of the last `days` (1–14) up to `now`, each list at most 10 rows, most frequent first. */
export function sumBreakdowns(
  slots: Array<Partial<BreakdownSlot> | null | undefined>, days: number, now: Date, decode: (key: string) => string = (k) => k,
): IssueBreakdowns {
  const today = dayNumber(now);
  const totals = Object.fromEntries(DIMENSIONS.map((d) => [d, new Map<string, number>()])) as Record<Dimension, Map<string, number>>;
  let total = 0;
  for (const slot of slots) {
    if (!slot || typeof slot.day !== 'number' || slot.day > today || slot.day <= today - days) continue;
    total += Number(slot.total) || 0;
    for (const dimension of DIMENSIONS) {
      for (const [key, count] of Object.entries(slot[dimension] ?? {})) {
        const value = decode(key);
        totals[dimension].set(value, (totals[dimension].get(value) ?? 0) + (Number(count) || 0));
      }
    }
  }
  const rows = (counts: Map<string, number>): BreakdownRow[] => [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1))
    .slice(0, ROWS_PER_LIST);
  return { days, total, release: rows(totals.release), environment: rows(totals.environment), route: rows(totals.route), browser: rows(totals.browser), host: rows(totals.host) };
}

/** The `days` option: 1 to 14, default 14. */
export function breakdownDays(days: unknown): number {
  if (days === undefined || days === null) return BREAKDOWN_MAX_DAYS;
  const n = Math.floor(Number(days));
  if (!Number.isFinite(n)) return BREAKDOWN_MAX_DAYS;
  return Math.min(BREAKDOWN_MAX_DAYS, Math.max(1, n));
}
