import type { StackFrame } from './Report';
import { errorFingerprint, overrideFingerprint } from './fingerprint';
import { errorFingerprintOverride, errorType, readStack } from './errorInfo';
import { FIRST_FRAME } from './stackFrames';
import { parsedFrames } from './parsedFrames';

/**
 * The group an error belongs to, told from its type and stack alone, before any
 * report is built: what the rate limit needs to fold an occurrence past it without
 * paying for a report nobody will store (see Delivery.offer). Null when that takes
 * the report: an error without in-app frames groups by its scrubbed message.
 *
 * It is the key the occurrences are counted under, not the stored fingerprint: the
 * report built from the same error computes that one itself (from the scrubbed frames),
 * and every occurrence of one throw site gives the same key, so each group's count
 * stays whole even if a filter rewrote its frames.
 */
export function quickFingerprint(thrown: unknown, maxFrames: number): string | null {
  if (thrown === null || typeof thrown !== 'object') return null;
  const override = errorFingerprintOverride(thrown);
  if (override) return overrideFingerprint(override);
  const stack = readStack(thrown);
  if (stack === null) return null;
  const split = stack.indexOf(FIRST_FRAME);
  if (split === -1) return null;
  const { frames } = parsedFrames(stack.slice(split), maxFrames);
  const type = errorType(thrown);
  // The parsed frames of one throw site are one cached array: its key per type is kept with it.
  let byType = keys.get(frames);
  if (!byType) keys.set(frames, (byType = new Map()));
  let key = byType.get(type);
  if (key === undefined) {
    key = frames.some((frame) => frame.inApp) ? errorFingerprint({ type, message: '', frames: frames as StackFrame[] }) : null;
    if (byType.size < MAX_TYPES_PER_SITE) byType.set(type, key);
  }
  return key;
}

const keys = new WeakMap<object, Map<string, string | null>>();
// A throw site raises a handful of types; a hostile one could vary the name without end.
const MAX_TYPES_PER_SITE = 16;
