import type { ErrorInfo, HttpClientInfo, Report, StackFrame } from './Report';

// Runs a text rule over every string of a report (keys of data included), following
// the report's shape: the fields the builders make themselves (ids, times, kind,
// fingerprint, numbers) are not data and are copied as they are, which keeps this
// pass cheap; anything else, including fields a hand-built report added, is walked.

const NOT_DATA = new Set(['id', 'kind', 'timestamp', 'timezone', 'status', 'fingerprint', 'environment', 'release', 'host', 'pid', 'occurrences', 'alert']);
// Hand-built values (not from safeClone) could nest without end.
const MAX_NESTING = 64;

export type TextRule = (text: string) => string;

/** A copy of `report` with `rule` applied to each of its strings. Throws only if the report's own getters do. */
export function cleanseReportStrings(report: Report, rule: TextRule, unfilterable: string): Report {
  const text = (value: unknown) => (typeof value === 'string' ? safely(rule, value, unfilterable) : value);
  const data = (value: unknown) => walk(value, rule, unfilterable, 0, new Set());
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(report)) {
    const value = (report as unknown as Record<string, unknown>)[key];
    if (NOT_DATA.has(key)) copy[key] = value;
    else if (key === 'error') copy[key] = value && errorPart(value as ErrorInfo, text, data);
    else if (key === 'request' && value && typeof value === 'object') copy[key] = object(value, (field, item) => (field === 'headers' || field === 'query' || field === 'body' ? data(item) : text(item)));
    else if ((key === 'brokenLink' || key === 'user') && value && typeof value === 'object') copy[key] = object(value, (_field, item) => text(item));
    else copy[key] = key === 'title' ? text(value) : data(value);
  }
  return copy as unknown as Report;
}

type Part = Omit<ErrorInfo, 'cause'> & { cause?: ErrorInfo['cause'] };

function errorPart(error: Part, text: (v: unknown) => unknown, data: (v: unknown) => unknown): Part {
  return object(error, (field, value) => {
    switch (field) {
      case 'frames':
        return Array.isArray(value) ? value.map((frame: StackFrame) => frameStrings(frame, text, data)) : data(value);
      case 'extra':
        return data(value);
      case 'http':
        return value && object(value as HttpClientInfo, (name, item) => (name === 'requestHeaders' || name === 'responseHeaders' ? data(item) : text(item)));
      case 'cause':
      case 'errors':
        return Array.isArray(value) ? value.map((item: Part) => errorPart(item, text, data)) : data(value);
      default:
        return typeof value === 'string' ? text(value) : data(value);
    }
  }) as Part;
}

function frameStrings(frame: StackFrame, text: (v: unknown) => unknown, data: (v: unknown) => unknown): StackFrame {
  if (!frame || typeof frame !== 'object') return data(frame) as StackFrame;
  return object(frame, (field, value) => (field === 'context' ? data(value) : text(value)));
}

function object<T extends object>(value: T, map: (field: string, item: unknown) => unknown): T {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = map(key, (value as Record<string, unknown>)[key]);
  return copy as T;
}

function walk(value: unknown, rule: TextRule, unfilterable: string, depth: number, seen: Set<object>): unknown {
  if (typeof value === 'string') return safely(rule, value, unfilterable);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_NESTING || seen.has(value)) return unfilterable;
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => walk(item, rule, unfilterable, depth + 1, seen));
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      // try/catch inline rather than a helper: this runs for every field of every report.
      let cleansed: unknown;
      try {
        cleansed = walk((value as Record<string, unknown>)[key], rule, unfilterable, depth + 1, seen);
      } catch {
        cleansed = unfilterable;
      }
      copy[safely(rule, key, unfilterable)] = cleansed;
    }
    return copy;
  } finally {
    seen.delete(value);
  }
}

function safely(rule: TextRule, text: string, unfilterable: string): string {
  try {
    return rule(text);
  } catch {
    return unfilterable;
  }
}
