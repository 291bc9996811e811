import type { StackFrame } from './Report';

// V8 stacks are "<name>: <message>" then one "    at ..." line per frame
// (https://v8.dev/docs/stack-trace-api). The message is the client's to choose
// (`unknown sort field: ${ctx.query.sort}`), so frames are read only after the header,
// whose text is known from the error's own name and message (issue 18 §3).
export const FIRST_FRAME = '\n    at ';

/** A frame as V8 printed it: `file` still absolute (or a URL, or "node:…"). */
export type RawFrame = Omit<StackFrame, 'inApp' | 'context' | 'mapped'> & { async: boolean };

// A frame line longer than this is no frame V8 printed for code anyone wrote.
const MAX_FRAME_LINE = 4096;
const FRAME_PREFIX = /^ {4}at /;
// A message line that would pass for a frame: its text is then never trusted for frames.
const FRAME_LIKE = /\n\s*at /;

/**
 * Where the frame lines of `stack` start (the "\n" before the first), or -1 when the
 * stack has none that can be told from its message. V8 writes the header as
 * Error.prototype.toString does, when `stack` is first read: with the name and message
 * of that moment, which are the current ones unless something changed them since.
 */
export function framesStart(stack: string, name: unknown, message: unknown): number {
  for (const header of headers(name, message)) {
    if (stack.startsWith(header) && (stack.length === header.length || stack.charCodeAt(header.length) === 10)) {
      return stack.startsWith(FIRST_FRAME, header.length) ? header.length : -1;
    }
  }
  // The header is stale (a message rewritten after the stack was read). Its first
  // "\n    at " can only be trusted when the message could not have supplied one.
  if (message !== undefined && (typeof message !== 'string' || FRAME_LIKE.test(message))) return -1;
  return stack.indexOf(FIRST_FRAME);
}

// Error.prototype.toString (ECMA-262 §20.5.3.4): "name: message", or whichever is not empty.
function headers(name: unknown, message: unknown): string[] {
  const n = name === undefined ? 'Error' : typeof name === 'string' ? name : null;
  const m = message === undefined ? '' : typeof message === 'string' ? message : null;
  if (n === null || m === null) return [];
  if (n === '') return [m];
  return m === '' ? [n] : [`${n}: ${m}`];
}

/**
 * The frames of the frame lines `lines` (from framesStart), innermost first, at most
 * `max`. Reading stops at the first line that is not a frame: V8 prints the frames as
 * one block, and what follows (a "Caused by:" someone appended) is not ours to trust.
 */
export function parseFrameLines(lines: string, max: number): RawFrame[] {
  const frames: RawFrame[] = [];
  let start = lines.charCodeAt(0) === 10 ? 1 : 0;
  while (start < lines.length && frames.length < max) {
    let end = lines.indexOf('\n', start);
    if (end === -1) end = lines.length;
    const frame = end - start <= MAX_FRAME_LINE ? parseFrameLine(lines.slice(start, end)) : null;
    if (!frame) break;
    frames.push(frame);
    start = end + 1;
  }
  return frames;
}

/**
 * One V8 frame line: "at fn (file:l:c)", "at file:l:c", "at async fn (…)", "at async
 * file:l:c", "at new C (…)", "at Promise.all (index 0)", "at eval (eval at fn (file:l:c),
 * <anonymous>:l:c)", "at fn (node:internal/…:l:c)", "file://" URLs, Windows paths.
 */
export function parseFrameLine(line: string): RawFrame | null {
  if (!FRAME_PREFIX.test(line)) return null;
  let body = line.slice(7).trim();
  const isAsync = body.startsWith('async ');
  if (isAsync) body = body.slice(6);
  let fn: string | null = null;
  let location = body;
  const open = body.endsWith(')') ? openingParen(body) : -1;
  if (open > 0 && body.charCodeAt(open - 1) === 32) {
    fn = body.slice(0, open - 1) || null;
    location = body.slice(open + 1, -1);
  }
  if (location.startsWith('eval at ')) location = evalOrigin(location);
  let [file, lineNumber] = cutNumber(location);
  let column: number | null = null;
  if (lineNumber !== null) {
    const [rest, outer] = cutNumber(file);
    if (outer !== null) [file, lineNumber, column] = [rest, outer, lineNumber];
  }
  return { file: fileOf(file), line: lineNumber, column, function: fn, async: isAsync };
}

// The "(" that opens the location: the last parenthesis group, nesting counted
// (eval origins nest one, and a folder may be called "app (copy)").
function openingParen(body: string): number {
  let depth = 0;
  for (let i = body.length - 1; i >= 0; i--) {
    const c = body.charCodeAt(i);
    if (c === 41) depth += 1;
    else if (c === 40 && --depth === 0) return i;
  }
  return body.lastIndexOf(' (') + 1 || -1;
}

// "eval at fn (file:1:2), <anonymous>:3:4": the real file is the one eval was called
// from (the innermost one when evals nest).
function evalOrigin(location: string): string {
  let end = location.lastIndexOf('), ');
  if (end === -1) return '';
  let inner = location.slice(0, end);
  while (inner.startsWith('eval at ')) {
    const open = inner.indexOf(' (');
    if (open === -1) return '';
    inner = inner.slice(open + 2);
    end = inner.lastIndexOf('), ');
    if (end !== -1 && inner.startsWith('eval at ')) inner = inner.slice(0, end);
  }
  return inner.endsWith(')') ? inner.slice(0, -1) : inner;
}

function fileOf(text: string): string | null {
  if (text === '' || text === '<anonymous>' || text === 'native' || text === 'unknown location' || text.startsWith('index ')) return null;
  return text.startsWith('file://') ? fromFileUrl(text) : text;
}

/** Splits a trailing ":<digits>" off `text`. */
function cutNumber(text: string): [string, number | null] {
  const colon = text.lastIndexOf(':');
  if (colon === -1 || colon === text.length - 1 || text.length - colon > 10) return [text, null];
  let value = 0;
  for (let i = colon + 1; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return [text, null];
    value = value * 10 + digit;
  }
  return [text.slice(0, colon), value];
}

// ES modules print URLs; "file:///C:/app/x.mjs" is a Windows path wherever it is read.
function fromFileUrl(url: string): string {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(url).pathname);
  } catch {
    return url;
  }
  return /^\/[A-Za-z]:\//.test(pathname) ? pathname.slice(1).replace(/\//g, '\\') : pathname;
}
