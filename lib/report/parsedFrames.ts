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
}

// The text of every frame is kept in the stored stack, up to this many lines.
const MAX_STACK_FRAMES = 100;

/** The frames of one throw site, parsed once: shared, never handed to a report as they are. */
export interface ThrowSite {
  readonly frames: readonly StackFrame[];
  readonly text: string;
  readonly root: string;
  readonly maxFrames: number;
}

// One bug throws from the same place again and again, and parsing its frames (paths made
// app-relative, in-app decided) costs far more than a lookup, on the request path
// (quickFingerprint folds occurrences with it): each throw site is parsed once,
// boundedly. Keyed by the frame lines only, never the message. The one parse cache.
const MAX_SITES = 500;
const MAX_SITE_LENGTH = 16 * 1024;
const sites = new Map<string, ThrowSite>();

/**
 * Reads the stack of an error whose name and message are given: frames only after its
 * header (stackFrames.framesStart), so a message holding "\n    at …" lines yields none.
 */
export function parseStack(stack: string, name: unknown, message: unknown, maxFrames: number, root = appRoot()): ParsedStack {
  const start = framesStart(stack, name, message);
  if (start === -1) return { header: stack, frames: [], text: '' };
  const site = throwSite(stack.slice(start), maxFrames, root);
  return { header: stack.slice(0, start), frames: site.frames.map((frame) => ({ ...frame })), text: site.text };
}

/** The parsed frame lines of a stack (from framesStart), remembered per throw site. */
export function throwSite(lines: string, maxFrames: number, root = appRoot()): ThrowSite {
  const known = sites.get(lines);
  if (known !== undefined && known.root === root && known.maxFrames === maxFrames) return known;
  const raw = parseFrameLines(lines, Math.max(maxFrames, MAX_STACK_FRAMES));
  const frames: StackFrame[] = [];
  let text = '';
  for (let i = 0; i < raw.length; i++) {
    const frame = appFrame(raw[i], root);
    text += `\n    at ${frameLine(frame)}`;
    if (i < maxFrames) frames.push(frame);
  }
  const site: ThrowSite = { frames, text, root, maxFrames };
  if (lines.length <= MAX_SITE_LENGTH) {
    if (sites.size >= MAX_SITES) sites.clear();
    sites.set(lines, site);
  }
  return site;
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
