import type { StackFrame } from '../Report';
import { framesOrigin } from '../parsedFrames';

/**
 * The cleansed frames of each parsed stack (see parsedFrames.ts), made once per throw
 * site as the report's strings pass would make them (each string field through the
 * text rule, `unfilterable` where it throws), then handed out as fresh copies. Per
 * filter; `clear()` when its rules change. Weakly held: it forgets with the parse cache.
 */
export class CleansedFrames {
  private copies = new WeakMap<readonly StackFrame[], StackFrame[]>();

  /** The cleansed copy of a report's frames, or undefined when they are not (or no longer) a parse's copy. */
  get(frames: unknown[], rule: (text: string) => string, unfilterable: string): StackFrame[] | undefined {
    const origin = framesOrigin(frames);
    if (origin === undefined) return undefined;
    let cleansed = this.copies.get(origin);
    if (cleansed === undefined) {
      cleansed = origin.map((frame) => cleanseFrame(frame, rule, unfilterable));
      this.copies.set(origin, cleansed);
    }
    return cleansed.map((frame) => ({ ...frame }));
  }

  clear(): void {
    this.copies = new WeakMap();
  }
}

function cleanseFrame(frame: StackFrame, rule: (text: string) => string, unfilterable: string): StackFrame {
  const copy: Record<string, unknown> = {};
  for (const field of Object.keys(frame)) {
    const value = (frame as unknown as Record<string, unknown>)[field];
    if (typeof value !== 'string') copy[field] = value;
    else {
      try {
        copy[field] = rule(value);
      } catch {
        copy[field] = unfilterable;
      }
    }
  }
  return copy as unknown as StackFrame;
}
