import { fileURLToPath } from 'node:url';
import type { StackFrame } from './Report';

// V8 stacks are "<type>: <message>" then one "    at ..." line per frame: where the frames begin.
export const FIRST_FRAME = '\n    at ';

const FRAME_LINE = /^\s*at\s+(.*)$/;
const CALL_WITH_LOCATION = /^(.*?) \((.*)\)$/;
// "eval at fn (file:1:2), <anonymous>:3:4": the real file is the one eval was called from.
const EVAL_ORIGIN = /\((?!eval at)([^()]+?):(\d+):(\d+)\)/;

/**
 * Parses a V8 stack string ("    at fn (file:line:col)") into frames, innermost
 * first, keeping at most `maxFrames`. Lines that are not frames (the message,
 * which may span lines) are skipped.
 */
export function parseStack(stack: string, maxFrames: number): StackFrame[] {
  const frames: StackFrame[] = [];
  let start = 0;
  while (start < stack.length && frames.length < maxFrames) {
    let end = stack.indexOf('\n', start);
    if (end === -1) end = stack.length;
    const frame = parseFrameLine(stack.slice(start, end));
    if (frame) frames.push(frame);
    start = end + 1;
  }
  return frames;
}

export function parseFrameLine(line: string): StackFrame | null {
  const frameMatch = FRAME_LINE.exec(line);
  if (!frameMatch) return null;
  const body = frameMatch[1].trim();

  let fn: string | null = null;
  let location = body;
  const call = CALL_WITH_LOCATION.exec(body);
  if (call) {
    fn = call[1].replace(/^async /, '') || null;
    location = call[2];
  }

  if (location.startsWith('eval at ')) {
    const origin = EVAL_ORIGIN.exec(location);
    location = origin ? `${origin[1]}:${origin[2]}:${origin[3]}` : '';
  }

  // "file:line:column", "file:line" or "file".
  let [rest, lineNumber] = cutNumber(location);
  let column: number | null = null;
  if (lineNumber !== null) {
    const [file, line] = cutNumber(rest);
    if (line !== null) [rest, lineNumber, column] = [file, line, lineNumber];
  }
  let file: string | null = rest || null;
  if (file === '<anonymous>' || file === 'native' || file === 'unknown location') file = null;
  if (file?.startsWith('file://')) file = fromFileUrl(file);

  // "at file:1:2" (no parentheses) is a top-level call without a function name.
  return { file, line: lineNumber, column, function: fn, inApp: isInApp(file) };
}

/** Application code: a real file outside node_modules and Node's own internals. */
export function isInApp(file: string | null): boolean {
  if (!file) return false;
  if (file.startsWith('node:') || file.startsWith('internal/')) return false;
  return !/[\\/]node_modules[\\/]/.test(file);
}

/** Splits a trailing ":<digits>" off `text`. */
function cutNumber(text: string): [string, number | null] {
  const colon = text.lastIndexOf(':');
  if (colon === -1 || colon === text.length - 1) return [text, null];
  let value = 0;
  for (let i = colon + 1; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return [text, null];
    value = value * 10 + digit;
  }
  return [text.slice(0, colon), value];
}

function fromFileUrl(url: string): string {
  try {
    return fileURLToPath(url);
  } catch {
    return url;
  }
}
