import type { RequestInfo } from './Report';

// An error with no in-app frame is grouped by its message, and a message quotes what
// the client sent (`invalid input syntax for type uuid: "alpha"`): whatever varies from
// request to request is cut or replaced, or a client chooses how many issues it opens
// (issue 18 §3). The rules, with an example each, are listed in docs/grouping.md.
// Every pattern is linear-time: bounded repeats only, no nested unbounded ones.

const RULES: Array<[RegExp, string]> = [
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>'],
  [/\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b/g, '<date>'],
  [/(?<![\w.+-])[\w.+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}\b/g, '<email>'],
  [/\b(?:\d{1,3}\.){3}\d{1,3}\b/g, '<ip>'],
  [/\b(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}\b|\b(?:[0-9a-f]{1,4}:){1,7}:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6})?(?![\w:])/gi, '<ip>'],
  [/\b(?=[0-9a-f]{0,64}\d)[0-9a-f]{8,}\b/gi, '<hex>'],
  [/\d+/g, '<n>'],
];

/** Numbers, UUIDs, hex ids, dates, IP addresses and emails replaced by placeholders. */
export function normaliseMessage(message: string): string {
  let out = message;
  for (const [pattern, placeholder] of RULES) out = out.replace(pattern, placeholder);
  return out;
}

// A request has a few dozen values; a hostile one may send thousands of query keys.
const MAX_VALUES = 200;
// Shorter values ("a", "en") are words of many messages: cut only where quoted.
const MIN_BARE_LENGTH = 3;

/**
 * The values of a request a message may quote: the URL, the path and each of its
 * segments (as sent and decoded) but the matched route's fixed ones, every query value
 * and every header value.
 */
export function requestValues(request: Pick<RequestInfo, 'url' | 'path' | 'query' | 'headers' | 'route'> | null | undefined): string[] {
  if (!request) return [];
  // The matched route's fixed segments ("/users/:id" → "users") are the app's, not the client's.
  const fixed = new Set(typeof request.route === 'string' ? request.route.split('/').filter((part) => !part.includes(':') && !part.includes('*')) : []);
  const values = new Set<string>();
  const add = (value: unknown) => {
    if (values.size >= MAX_VALUES) return;
    if (typeof value === 'string' && value !== '') values.add(value);
    else if (Array.isArray(value)) for (const item of value.slice(0, MAX_VALUES)) add(item);
  };
  add(request.url);
  add(request.path);
  for (const segment of typeof request.path === 'string' ? request.path.split('/').slice(0, MAX_VALUES) : []) {
    if (fixed.has(segment)) continue;
    add(segment);
    add(decoded(segment));
  }
  for (const record of [request.query, request.headers]) {
    if (record && typeof record === 'object') for (const key of Object.keys(record).slice(0, MAX_VALUES)) add(record[key]);
  }
  return [...values];
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * `message` with every request value in it replaced by "<value>", longest first (the
 * URL before the path it holds). A value is cut where it stands as a whole token:
 * not inside a longer word ("close" stays in "closed"); short ones only when quoted.
 */
export function withoutRequestValues(message: string, values: readonly string[]): string {
  // A value standing as a whole token has each of its words standing whole in the
  // message: values failing that are dropped with a set lookup per word, and at most
  // MAX_SEARCHED are searched, so hostile values cannot multiply the cost.
  const words = new Set(message.match(WORDS) ?? []);
  const searched = values.filter((value) => value.length <= message.length && allWordsIn(value, words));
  let out = message;
  for (const value of searched.sort((a, b) => b.length - a.length).slice(0, MAX_SEARCHED)) {
    if (out.includes(value)) out = cutValue(out, value);
  }
  return out;
}

const WORDS = /[\p{L}\p{N}_]+/gu;
const MAX_SEARCHED = 8;

// Punctuation alone ("--", "/") never stands for a value a client chose.
function allWordsIn(value: string, words: ReadonlySet<string>): boolean {
  const own = value.match(WORDS);
  return own !== null && own.every((word) => words.has(word));
}

function cutValue(text: string, value: string): string {
  let out = '';
  let from = 0;
  for (let at = text.indexOf(value); at !== -1; at = text.indexOf(value, at + value.length)) {
    const before = text.charAt(at - 1);
    const after = text.charAt(at + value.length);
    const whole = value.length >= MIN_BARE_LENGTH ? !(isWordEdge(value, 0) && isWord(before)) && !(isWordEdge(value, value.length - 1) && isWord(after)) : isQuote(before) && before === after;
    if (!whole) continue;
    out += `${text.slice(from, at)}<value>`;
    from = at + value.length;
  }
  return from === 0 ? text : out + text.slice(from);
}

const isWord = (c: string) => /^[\p{L}\p{N}_]$/u.test(c);
const isWordEdge = (value: string, i: number) => isWord(value.charAt(i));
const isQuote = (c: string) => c === '"' || c === "'" || c === '`';
