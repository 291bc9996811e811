import type { StackFrame } from './Report';
import { appRelative, appRoot, relativeStack } from './appPaths';
import { LongTextMap } from './longTextMap';
import { parseStack } from './stackFrames';

// One bug throws from the same place again and again: its frames are parsed once (bounded).
const MAX_PARSED = 500;
const MAX_PARSED_LENGTH = 16 * 1024;

interface Parsed {
  frames: readonly StackFrame[];
  /** The frame lines with the app's root cut from every path. */
  relative: string;
  root: string;
}

const parsed = new Map<number, LongTextMap<Parsed>>();
// Which parse a report's frames were copied from: the filter cleanses the frames of a
// throw site once and hands out copies (SafeReportFilter), checking each copy still
// holds what was parsed.
const copiedFrom = new WeakMap<StackFrame[], readonly StackFrame[]>();

/** The frames of a stack's frame lines (from the first "\n    at "), parsed or remembered, and the lines made app-relative. */
export function parsedFrames(frameLines: string, maxFrames: number): Omit<Parsed, 'root'> {
  if (frameLines === '') return { frames: [], relative: '' };
  const root = appRoot();
  let forMax = parsed.get(maxFrames);
  if (!forMax) parsed.set(maxFrames, (forMax = new LongTextMap(MAX_PARSED)));
  let found = forMax.get(frameLines);
  if (found === undefined || found.root !== root) {
    const frames = parseStack(frameLines, maxFrames);
    for (const frame of frames) frame.file = appRelative(frame.file);
    found = { frames, relative: relativeStack(frameLines), root };
    if (frameLines.length <= MAX_PARSED_LENGTH) forMax.set(frameLines, found);
  }
  return found;
}

/** A report's own copy of parsed frames (the parse itself is shared and never handed out). */
export function copyFrames(frames: readonly StackFrame[]): StackFrame[] {
  const copies = frames.map((frame) => ({ ...frame }));
  if (copies.length > 0) copiedFrom.set(copies, frames);
  return copies;
}

/**
 * The parsed frames `frames` was copied from, while it still holds exactly what was
 * parsed (same length, each frame the same five fields with the same values); else undefined.
 */
export function framesOrigin(frames: unknown[]): readonly StackFrame[] | undefined {
  const origin = copiedFrom.get(frames as StackFrame[]);
  if (origin === undefined || origin.length !== frames.length) return undefined;
  for (let i = 0; i < frames.length; i++) {
    const frame = frames[i] as StackFrame | null;
    const parsedFrame = origin[i];
    if (frame === null || typeof frame !== 'object' || Object.keys(frame).length !== 5) return undefined;
    if (frame.file !== parsedFrame.file || frame.line !== parsedFrame.line || frame.column !== parsedFrame.column) return undefined;
    if (frame.function !== parsedFrame.function || frame.inApp !== parsedFrame.inApp) return undefined;
  }
  return origin;
}
