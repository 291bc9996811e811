import type { StackFrame } from './Report';
import { appRoot, displayPath, isInApp } from './appPaths';
import { framesStart, parseFrameLines, type RawFrame } from './stackFrames';

/** A stack read: its header (the message part, as V8 printed it), its frames, and the frames' text. */
export interface ParsedStack {
  /** The stack up to its first frame line (all of it when it has none that can be trusted). */
  header: string;
  /** At most `maxFrames`, app-relative, each the report's own object. */
  frames: StackFrame[];
  /** The frame lines written again from every frame V8 printed, paths app-relative ("" when none). */
  text: string;
  /** The absolute file of each of `frames` (null where there is none), for the source map step. */
  absolute: Array<string | null>;
}

// The text of every frame is kept in the stored stack, up to this many lines.
const MAX_STACK_FRAMES = 100;

/**
 * Reads the stack of an error whose name and message are given: frames only after its
 * header (stackFrames.framesStart), so a message holding "\n    at …" lines yields none.
 */
export function parseStack(stack: string, name: unknown, message: unknown, maxFrames: number, root = appRoot()): ParsedStack {
  const start = framesStart(stack, name, message);
  if (start === -1) return { header: stack, frames: [], text: '', absolute: [] };
  const raw = parseFrameLines(stack.slice(start), Math.max(maxFrames, MAX_STACK_FRAMES));
  const frames: StackFrame[] = [];
  const absolute: Array<string | null> = [];
  let text = '';
  for (let i = 0; i < raw.length; i++) {
    const frame = appFrame(raw[i], root);
    text += `\n    at ${frameLine(frame)}`;
    if (i < maxFrames) {
      frames.push(frame);
      absolute.push(raw[i].file);
    }
  }
  return { header: stack.slice(0, start), frames, text, absolute };
}

function appFrame(raw: RawFrame, root: string): StackFrame {
  const frame: StackFrame = { file: displayPath(raw.file, root), line: raw.line, column: raw.column, function: raw.function, inApp: isInApp(raw.file, root) };
  if (raw.async) frame.async = true;
  return frame;
}

/** A frame as V8 would print it ("async fn (file:l:c)"), after "at ". */
export function frameLine(frame: StackFrame): string {
  const where = frame.file === null ? '<anonymous>' : [frame.file, frame.line, frame.column].filter((part) => part !== null).join(':');
  const call = frame.function ? `${frame.function} (${where})` : where;
  return frame.async ? `async ${call}` : call;
}

/**
 * No parse is shared with reports any more, so no frames a report holds came from one.
 * Only the filter's old frame cache (cleansedFrames.ts, which the scrub branch removes)
 * still asks; delete this with it.
 */
export function framesOrigin(frames: unknown[]): readonly StackFrame[] | undefined {
  void frames;
  return undefined;
}
