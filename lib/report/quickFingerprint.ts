import { errorFingerprint, overrideFingerprint } from './fingerprint';
import { errorFingerprintOverride, errorType, nameAndMessage, readStack } from './errorInfo';
import { parseStack } from './parsedFrames';

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
  const { frames } = parseStack(stack, name, message, maxFrames);
  return frames.some((frame) => frame.inApp) ? errorFingerprint({ type: errorType(thrown), message: '', frames }) : null;
}
