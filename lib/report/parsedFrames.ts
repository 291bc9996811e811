import type { StackFrame } from './Report';
import { appRelative, appRoot, relativeStack } from './appPaths';
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

const parsed = new Map<number, Map<string, Parsed>>();
// Which parse the latest copies were made from: the filter cleanses the frames of a
// throw site once and hands out copies (SafeReportFilter), checking each copy still
// holds what was parsed. A report is filtered right after it is built, so the last few
// dozen copies (a report's error, causes and listed errors) are enough; older ones are
// simply walked again. A ring rather than a WeakMap: WeakMap.set costs more than the
// cleansing it would save (about 0.7 µs here).
const RING = 32;
const ringCopies: Array<StackFrame[] | undefined> = new Array(RING).fill(undefined);
const ringOrigins: Array<readonly StackFrame[] | undefined> = new Array(RING).fill(undefined);
let ringNext = 0;

/** The frames of a stack's frame lines (from the first "\n    at "), parsed or remembered, and the lines made app-relative. */
export function parsedFrames(frameLines: string, maxFrames: number): Omit<Parsed, 'root'> {
  if (frameLines === '') return { frames: [], relative: '' };
  const root = appRoot();
  let forMax = parsed.get(maxFrames);
  if (!forMax) parsed.set(maxFrames, (forMax = new Map()));
  let found = forMax.get(frameLines);
  if (found === undefined || found.root !== root) {
    const frames = parseStack(frameLines, maxFrames);
    for (const frame of frames) frame.file = appRelative(frame.file);
    found = { frames, relative: relativeStack(frameLines), root };
    if (forMax.size >= MAX_PARSED) forMax.clear();
    if (frameLines.length <= MAX_PARSED_LENGTH) forMax.set(frameLines, found);
  }
  return found;
}

/** A report's own copy of parsed frames (the parse itself is shared and never handed out). */
export function copyFrames(frames: readonly StackFrame[]): StackFrame[] {
  const copies = frames.map((frame) => ({ ...frame }));
  if (copies.length > 0) {
    ringCopies[ringNext] = copies;
    ringOrigins[ringNext] = frames;
    ringNext = (ringNext + 1) % RING;
  }
  return copies;
}

/**
 * The parsed frames `frames` was copied from, while it still holds exactly what was
 * parsed (same length, each frame the same five fields with the same values); else undefined.
 */
export function framesOrigin(frames: unknown[]): readonly StackFrame[] | undefined {
  const slot = ringCopies.indexOf(frames as StackFrame[]);
  const origin = slot === -1 ? undefined : ringOrigins[slot];
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
