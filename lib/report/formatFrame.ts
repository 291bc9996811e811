import type { StackFrame } from './Report';

// The one way a frame is written for people (culprits in stores and the dashboard, the
// top frame in Slack, the frame lists of emails), so every place says the same thing.

/** "function (file:line:column)", or "file:line:column" for a frame without a name. */
export function formatFrame(frame: StackFrame): string {
  const where = [frame.file ?? '<unknown>', frame.line, frame.column].filter((part) => part !== null).join(':');
  return frame.function ? `${frame.function} (${where})` : where;
}

/** The frame in the application's own code closest to the throw, else the first frame. */
export function topFrame(frames: readonly StackFrame[]): StackFrame | null {
  return frames.find((frame) => frame.inApp) ?? frames[0] ?? null;
}
