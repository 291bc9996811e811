import type { StackFrame } from './Report';

/**
 * One stack frame as people read it: "loadOrder (/app/orders.ts:42:7)", or the place
 * alone when the frame has no function name. The one frame formatter: notifiers use it
 * for frames and the top in-app frame, stores for an issue's culprit.
 */
export function formatFrame(frame: StackFrame): string {
  const where = [frame.file ?? '<unknown>', frame.line, frame.column].filter((part) => part !== null).join(':');
  return frame.function ? `${frame.function} (${where})` : where;
}
