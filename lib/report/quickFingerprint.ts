import { errorFingerprint, overrideFingerprint } from './fingerprint';
import { errorFingerprintOverride, errorType, nameAndMessage, readStack } from './errorInfo';
import type { StackFrame } from './Report';
import { throwSite, type ThrowSite } from './parsedFrames';
import { framesStart } from './stackFrames';

/**
 * The group an error belongs to, told from its type and stack alone, before any
 * report is built: what the rate limit needs to fold an occurrence past it without
 * paying for a report nobody will store (see Delivery.offer). Null when that takes
 * the report: an error without in-app frames groups by its scrubbed message.
 *
 * It is the key the occurrences are counted under, not the stored fingerprint: the
 * report built from the same error computes that one itself (from the scrubbed
 * frames, mapped through source maps in the worker), and every occurrence of one
 * throw site gives the same key, so each group's count stays whole.
 */
export function quickFingerprint(thrown: unknown, maxFrames: number): string | null {
  if (thrown === null || typeof thrown !== 'object') return null;
  const override = errorFingerprintOverride(thrown);
  if (override) return overrideFingerprint(override);
  const stack = readStack(thrown);
  if (stack === null) return null;
  const [name, message] = nameAndMessage(thrown);
  const start = framesStart(stack, name, message);
  if (start === -1) return null;
  const site = throwSite(stack.slice(start), maxFrames);
  const type = errorType(thrown);
  // A throw site's key per type is kept with its parse (and forgotten with it).
  let byType = keys.get(site);
  if (!byType) keys.set(site, (byType = new Map()));
  let key = byType.get(type);
  if (key === undefined) {
    key = site.frames.some((frame) => frame.inApp) ? errorFingerprint({ type, message: '', frames: site.frames as StackFrame[] }) : null;
    if (byType.size < MAX_TYPES_PER_SITE) byType.set(type, key);
  }
  return key;
}

const keys = new WeakMap<ThrowSite, Map<string, string | null>>();
// A throw site raises a handful of types; a hostile one could vary the name without end.
const MAX_TYPES_PER_SITE = 16;
