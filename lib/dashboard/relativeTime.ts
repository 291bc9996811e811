// "3 min ago" for lists, with the exact UTC time kept for a tooltip (as Sentry and GlitchTip show it).

const UNITS: Array<[limitMs: number, unitMs: number, unit: string]> = [
  [60_000, 1000, 's'],
  [3_600_000, 60_000, 'min'],
  [86_400_000, 3_600_000, 'h'],
  [30 * 86_400_000, 86_400_000, 'd'],
  [365 * 86_400_000, 30 * 86_400_000, 'mo'],
  [Infinity, 365 * 86_400_000, 'y'],
];

export function relativeTime(date: Date, now: Date): string {
  const ms = now.getTime() - date.getTime();
  if (!Number.isFinite(ms)) return 'unknown';
  const ago = Math.abs(ms);
  if (ago < 10_000) return 'just now';
  const [, unitMs, unit] = UNITS.find(([limit]) => ago < limit) as [number, number, string];
  const amount = Math.floor(ago / unitMs);
  return ms >= 0 ? `${amount} ${unit} ago` : `in ${amount} ${unit}`;
}

/** "2025-03-01 13:05:09 UTC": exact, sortable, readable. */
export function exactTime(date: Date): string {
  return Number.isNaN(date.getTime()) ? 'unknown' : `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function toDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(typeof value === 'string' || typeof value === 'number' ? value : NaN);
}
