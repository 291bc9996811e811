import type { ErrorInfo, HttpClientInfo, Report, StackFrame } from '../Report';

// Runs a text rule over every string of a report (keys of data included), following
// the report's shape: the fields the builders make themselves (ids, times, kind,
// fingerprint, numbers) are not data and are copied as they are, which keeps this
// pass cheap; anything else, including fields a hand-built report added, is walked.

const NOT_DATA = new Set(['id', 'kind', 'timestamp', 'timezone', 'status', 'fingerprint', 'environment', 'release', 'host', 'pid', 'occurrences', 'alert']);
// Hand-built values (not from safeClone) could nest without end.
const MAX_NESTING = 64;

/** What the pass does to each string, and to each number (a card number sent as a JSON number). */
export interface ValueRules {
  text(text: string): string;
  number(value: number): unknown;
}

/** A copy of `report` with the rules applied to each of its strings and numbers. Throws only if the report's own getters do. */
export function cleanseReportStrings(report: Report, rules: ValueRules, unfilterable: string): Report {
  const pass = new StringPass(rules, unfilterable);
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(report)) {
    const value = (report as unknown as Record<string, unknown>)[key];
    if (NOT_DATA.has(key)) copy[key] = value;
    else if (key === 'error') copy[key] = value && pass.errorPart(value as Part);
    else if (key === 'request' && value && typeof value === 'object') copy[key] = pass.request(value as Record<string, unknown>);
    else if ((key === 'brokenLink' || key === 'user') && value && typeof value === 'object') copy[key] = pass.texts(value as Record<string, unknown>);
    else copy[key] = key === 'title' ? pass.text(value) : pass.walk(value, 0);
  }
  return copy as unknown as Report;
}

type Part = Omit<ErrorInfo, 'cause'> & { cause?: ErrorInfo['cause'] };

// One pass over one report. Plain loops and methods rather than a callback per field:
// this runs for every field of every report. `seen` holds the objects being walked
// (ancestors only), so it is empty again between fields.
class StringPass {
  private readonly seen = new Set<object>();

  constructor(
    private readonly rules: ValueRules,
    private readonly unfilterable: string,
  ) {}

  text(value: unknown): unknown {
    return typeof value === 'string' ? this.safely(value) : value;
  }

  number(value: number): unknown {
    try {
      return this.rules.number(value);
    } catch {
      return this.unfilterable;
    }
  }

  errorPart(error: Part): Part {
    const copy: Record<string, unknown> = {};
    for (const field of Object.keys(error)) {
      const value = (error as unknown as Record<string, unknown>)[field];
      switch (field) {
        case 'frames':
          copy[field] = Array.isArray(value) ? this.frames(value) : this.walk(value, 0);
          break;
        case 'extra':
          copy[field] = this.walk(value, 0);
          break;
        case 'http':
          copy[field] = value && this.http(value as HttpClientInfo);
          break;
        case 'cause':
        case 'errors':
          copy[field] = Array.isArray(value) ? value.map((item: Part) => this.errorPart(item)) : this.walk(value, 0);
          break;
        default:
          copy[field] = typeof value === 'string' ? this.safely(value) : this.walk(value, 0);
      }
    }
    return copy as unknown as Part;
  }

  request(request: Record<string, unknown>): Record<string, unknown> {
    const copy: Record<string, unknown> = {};
    for (const field of Object.keys(request)) {
      const value = request[field];
      copy[field] = field === 'headers' || field === 'query' || field === 'body' ? this.walk(value, 0) : this.text(value);
    }
    return copy;
  }

  /** Every field's value through `text` (strings cleansed, the rest as is). */
  texts(value: Record<string, unknown>): Record<string, unknown> {
    const copy: Record<string, unknown> = {};
    for (const field of Object.keys(value)) copy[field] = this.text(value[field]);
    return copy;
  }

  walk(value: unknown, depth: number): unknown {
    if (typeof value === 'string') return this.safely(value);
    if (typeof value === 'number') return this.number(value);
    if (value === null || typeof value !== 'object') return value;
    const seen = this.seen;
    if (depth >= MAX_NESTING || seen.has(value)) return this.unfilterable;
    seen.add(value);
    try {
      if (Array.isArray(value)) return value.map((item) => this.walk(item, depth + 1));
      const copy: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        let cleansed: unknown;
        try {
          cleansed = this.walk((value as Record<string, unknown>)[key], depth + 1);
        } catch {
          cleansed = this.unfilterable;
        }
        copy[this.safely(key)] = cleansed;
      }
      return copy;
    } finally {
      seen.delete(value);
    }
  }

  private frames(frames: unknown[]): unknown[] {
    const copies: unknown[] = [];
    for (const frame of frames) {
      if (!frame || typeof frame !== 'object') {
        copies.push(this.walk(frame, 0));
        continue;
      }
      const copy: Record<string, unknown> = {};
      for (const field of Object.keys(frame)) {
        const value = (frame as Record<string, unknown>)[field];
        copy[field] = field === 'context' ? this.walk(value, 0) : this.text(value);
      }
      copies.push(copy as unknown as StackFrame);
    }
    return copies;
  }

  private http(info: HttpClientInfo): HttpClientInfo {
    const copy: Record<string, unknown> = {};
    for (const name of Object.keys(info)) {
      const value = (info as unknown as Record<string, unknown>)[name];
      copy[name] = name === 'requestHeaders' || name === 'responseHeaders' ? this.walk(value, 0) : this.text(value);
    }
    return copy as unknown as HttpClientInfo;
  }

  private safely(text: string): string {
    try {
      return this.rules.text(text);
    } catch {
      return this.unfilterable;
    }
  }
}
