import { truncate } from './truncate';

/** The subset of the report limits that bounds how much of a value is copied. */
export interface CloneLimits {
  maxStringLength: number;
  maxDepth: number;
  maxKeys: number;
  maxArrayItems: number;
  /** JSON size of the whole report; every clone of one report draws on it (see CloneSession). */
  maxReportBytes?: number;
}

/**
 * What the clones of one report share: a budget of bytes and values that each copied
 * value draws on, so building costs O(maxReportBytes) whatever was thrown, and the
 * key rule of the report's filter, checked on keys before they are cut to length.
 */
export interface CloneSession {
  limits: CloneLimits;
  /** Bytes of JSON still allowed (an estimate: characters plus punctuation). */
  bytes: number;
  /** Values still allowed: bounds the work on many tiny values. */
  values: number;
  /** True once something was left out for want of budget. */
  exhausted: boolean;
  isHiddenKey: (key: string) => boolean;
  substitute: string;
}

export const DEFAULT_MAX_REPORT_BYTES = 256 * 1024;
const DEFAULT_SUBSTITUTE = '********************';

// Per-object limits alone still allow maxKeys^maxDepth values; a report must stay
// small whatever the app hands us, so one report visits at most this many values.
const MAX_VALUES_PER_REPORT = 10_000;

/** A fresh budget for one report. */
export function cloneSession(limits: CloneLimits, keyRules?: object): CloneSession {
  const filter = keyRules as { isHiddenKey?: (key: string) => boolean; cleansedSubstitute?: unknown } | undefined;
  const isHiddenKey = typeof filter?.isHiddenKey === 'function' ? (key: string) => safeTest(filter, key) : () => false;
  return {
    limits,
    // The fixed fields (ids, times, host, user) and the markers are not charged: keep room for them.
    bytes: Math.floor((limits.maxReportBytes ?? DEFAULT_MAX_REPORT_BYTES) * 0.95) - 2048,
    values: MAX_VALUES_PER_REPORT,
    exhausted: false,
    isHiddenKey,
    substitute: typeof filter?.cleansedSubstitute === 'string' ? (filter.cleansedSubstitute as string) : DEFAULT_SUBSTITUTE,
  };
}

/** Charges text already placed in the report (message, stack) to its budget. */
export function charge(session: CloneSession, text: string | null): void {
  if (text) session.bytes -= text.length + 8;
}

/** Cuts `text` to what the budget still allows, charging it. */
export function budgetText(session: CloneSession, text: string, max: number): string {
  const room = Math.max(0, Math.min(max, session.bytes - 8));
  if (room < text.length) session.exhausted = true;
  const kept = truncate(text, room);
  session.bytes -= kept.length + 8;
  return kept;
}

function safeTest(filter: { isHiddenKey?: (key: string) => boolean }, key: string): boolean {
  try {
    return filter.isHiddenKey!(key) === true;
  } catch {
    // A filter that cannot answer: hide rather than leak.
    return true;
  }
}
