import type { Report } from '../Report';
import { isRecord } from '../../core/objects';
import { mapHeldItems } from './heldItems';

// Runs a text rule over every string of a report (keys of data included), following
// the report's shape: the fields the builders make themselves (ids, times, kind,
// fingerprint, numbers) are not data and are copied as they are, which keeps this
// pass cheap; anything else, including fields a hand-built report added, is walked.

const NOT_DATA = new Set(['id', 'kind', 'timestamp', 'timezone', 'status', 'fingerprint', 'environment', 'release', 'host', 'pid', 'occurrences', 'alert']);
// Hand-built values (not from safeClone) could nest without end.
const MAX_NESTING = 64;

/**
 * A part of the report's shape: `own` are its fields the builders fill with text, numbers
 * or flags, `data` those holding data (already under the key rules). Any other field was
 * added by hand: nothing has put it under the key rules yet.
 */
interface Shape {
  own: ReadonlySet<string>;
  data: ReadonlySet<string>;
}

const shape = (own: string[], data: string[] = []): Shape => ({ own: new Set(own), data: new Set(data) });
const REQUEST = shape(['method', 'url', 'path', 'ip', 'userAgent', 'referer', 'requestId', 'route'], ['headers', 'query', 'body']);
const FRAME = shape(['file', 'line', 'column', 'function', 'inApp', 'async', 'mapped'], ['context']);
const HTTP = shape(['client', 'method', 'url', 'status', 'statusText', 'code'], ['requestHeaders', 'responseHeaders']);
const USER = shape(['id', 'username']);
const BROKEN_LINK = shape(['url', 'referer', 'internal']);
const GROUPING = shape(['rule', 'detail']);

/** What the pass does to each string, to each number (a card number sent as a JSON number), and to each field added by hand. */
export interface ValueRules {
  text(text: string): string;
  number(value: number): unknown;
  /** A copy of `fields` with every value under a hidden name (at any depth) replaced. */
  keys(fields: Record<string, unknown>): Record<string, unknown>;
}

/** A copy of `report` with the rules applied to each of its strings and numbers. Throws only if the report's own getters do. */
export function cleanseReportStrings(report: Report, rules: ValueRules, unfilterable: string): Report {
  const pass = new StringPass(rules, unfilterable);
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(report)) {
    const value = (report as unknown as Record<string, unknown>)[key];
    if (NOT_DATA.has(key)) copy[key] = value;
    else if (key === 'title') copy[key] = pass.field(key, value);
    else if (key === 'error') copy[key] = value && pass.errorPart(key, value);
    else if (key === 'request') copy[key] = value && pass.part(key, value, REQUEST);
    else if (key === 'user') copy[key] = value && pass.part(key, value, USER);
    else if (key === 'brokenLink') copy[key] = value && pass.part(key, value, BROKEN_LINK);
    else if (key === 'grouping') copy[key] = value && pass.part(key, value, GROUPING);
    else pass.added(copy, key, value);
  }
  return copy as unknown as Report;
}

// One pass over one report. Plain loops and methods rather than a callback per field:
// this runs for every field of every report. `seen` holds the objects being walked
// (ancestors only), so it is empty again between fields.
class StringPass {
  private readonly seen = new Set<object>();

  constructor(
    private readonly rules: ValueRules,
    private readonly unfilterable: string,
  ) {}

  /** A field the builders fill with text, numbers or flags; an object there (a hand-built report's) is data. */
  field(name: string, value: unknown): unknown {
    if (typeof value === 'string') return this.safely(value);
    return value !== null && typeof value === 'object' ? this.data(name, value) : value;
  }

  number(value: number): unknown {
    try {
      return this.rules.number(value);
    } catch {
      return this.unfilterable;
    }
  }

  /** An error (or one of its causes): a text or a list there is filtered as the value it is, never taken apart. */
  errorPart(name: string, error: unknown): unknown {
    if (!isRecord(error)) return this.data(name, error);
    const copy: Record<string, unknown> = {};
    for (const field of Object.keys(error)) {
      const value = error[field];
      switch (field) {
        case 'type':
        case 'message':
        case 'stack':
          copy[field] = this.field(field, value);
          break;
        case 'frames':
          copy[field] = Array.isArray(value) ? mapHeldItems(value, (frame) => this.part(field, frame, FRAME)) : this.data(field, value);
          break;
        case 'extra':
          copy[field] = this.walk(value, 0);
          break;
        case 'http':
          copy[field] = value && this.part(field, value, HTTP);
          break;
        case 'cause':
        case 'errors':
          copy[field] = Array.isArray(value) ? mapHeldItems(value, (item) => this.errorPart(field, item)) : this.data(field, value);
          break;
        default:
          this.added(copy, field, value);
      }
    }
    return copy;
  }

  /** A part of the report's shape (request, user, a frame…): its own fields, its data, and what was added by hand. */
  part(name: string, value: unknown, shape: Shape): unknown {
    if (!isRecord(value)) return this.data(name, value);
    const copy: Record<string, unknown> = {};
    for (const field of Object.keys(value)) {
      const item = value[field];
      if (shape.own.has(field)) copy[field] = this.field(field, item);
      else if (shape.data.has(field)) copy[field] = this.walk(item, 0);
      else this.added(copy, field, item);
    }
    return copy;
  }

  /** A field a hand-built report added: its name is text, its value data. */
  added(copy: Record<string, unknown>, name: string, value: unknown): void {
    copy[this.safely(name)] = this.data(name, value);
  }

  // Data the filter's key rules have not seen: they run first, over the field's own name
  // too (an added `password` field), then the text rules over what they left.
  private data(name: string, value: unknown): unknown {
    let keyed: unknown;
    try {
      keyed = this.rules.keys({ [name]: value })[name];
    } catch {
      return this.unfilterable;
    }
    return this.walk(keyed, 0);
  }

  walk(value: unknown, depth: number): unknown {
    if (typeof value === 'string') return this.safely(value);
    if (typeof value === 'number') return this.number(value);
    if (value === null || typeof value !== 'object') return value;
    const seen = this.seen;
    if (depth >= MAX_NESTING || seen.has(value)) return this.unfilterable;
    seen.add(value);
    try {
      if (Array.isArray(value)) return mapHeldItems(value, (item) => this.walk(item, depth + 1));
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

  private safely(text: string): string {
    try {
      return this.rules.text(text);
    } catch {
      return this.unfilterable;
    }
  }
}

