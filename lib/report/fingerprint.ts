import { createHash } from 'node:crypto';
import { normaliseMessage, withoutRequestValues } from './messageRules';
import type { ErrorInfo, StackFrame } from './Report';

/** What an app may set as `err.fingerprint` or return from the `fingerprint` option. */
export type FingerprintOverride = string | string[];

/**
 * Groups occurrences of the same bug. The key is the error type plus the in-app
 * frames as "relative file + function name". Line and column numbers are left out
 * for named functions on purpose: an edit anywhere above the throw site would
 * otherwise open a new group for an old bug on every deploy. The price is that two
 * throw sites inside the same function (with the same callers) share a group.
 * Anonymous functions (Koa route handlers are usually arrow functions) keep their
 * line: without it every handler of a routes file would be one group.
 * Without in-app frames (non-Error throws, errors raised inside libraries) the
 * type and the message are used, with the values the request carried cut out and
 * numbers, ids, dates, addresses replaced by placeholders (messageKey), so
 * "user 42 not found" and "user 43 not found" group together.
 * Frame files are app-relative already (parsedFrames.ts), so checkouts in different
 * places agree.
 */
export function errorFingerprint(
  error: Pick<ErrorInfo, 'type' | 'message' | 'frames'>,
  /** Values the client chose (request.ts requestValues): left out of a message used for grouping. */
  requestValues: readonly string[] = [],
): string {
  const frames = frameKeys(error.frames);
  if (frames.length > 0) return sha1([error.type, ...frames]);
  return sha1([error.type, messageKey(error.message, requestValues)]);
}

/** The in-app frames' keys, recursion collapsed: what a frame-grouped fingerprint hashes. */
export function frameKeys(frames: readonly StackFrame[]): string[] {
  return collapseRecursion(frames.filter((frame) => frame.inApp).map(frameKey));
}

/** The message as it is grouped by: request values cut, then normalised. */
export function messageKey(message: string, requestValues: readonly string[] = []): string {
  return normaliseMessage(withoutRequestValues(message, requestValues));
}

/** Broken links group by the pair Django reports on: the URL and where it was linked from. */
export function brokenLinkFingerprint(url: string, referer: string): string {
  return sha1([url, referer]);
}

/** Hashes an override so every fingerprint has the same shape (40 hex digits) in stores. */
export function overrideFingerprint(override: FingerprintOverride): string {
  return sha1(typeof override === 'string' ? [override] : override);
}

/** A usable override, or null for anything else (undefined, empty, wrong types). */
export function asFingerprintOverride(value: unknown): FingerprintOverride | null {
  if (typeof value === 'string') return value.length > 0 ? value : null;
  if (Array.isArray(value) && value.length > 0 && value.every((part) => typeof part === 'string')) return value as string[];
  return null;
}

function frameKey(frame: StackFrame): string {
  const file = frame.file ?? '?';
  const name = frame.function && !/(^|\.)<anonymous>$/.test(frame.function) ? frame.function : null;
  return name ? `${file} ${name}` : `${file}:${frame.line ?? '?'} <anonymous>`;
}

// An app throws from a few hundred sites at most: the hash is remembered (boundedly).
const MAX_CACHED = 1000;
const MAX_CACHED_KEY_LENGTH = 4096;
const hashes = new Map<string, string>();

// Recursion depth varies with the data; one bug must not become one group per depth.
function collapseRecursion(keys: string[]): string[] {
  return keys.filter((key, i) => i === 0 || key !== keys[i - 1]);
}

function sha1(parts: string[]): string {
  const text = parts.join('\n');
  let hash = hashes.get(text);
  if (hash === undefined) {
    hash = createHash('sha1').update(text).digest('hex');
    if (hashes.size >= MAX_CACHED) hashes.clear();
    // Long keys (a broken link's URL and referer) are not kept: at most about 4 MB in all.
    if (text.length <= MAX_CACHED_KEY_LENGTH) hashes.set(text, hash);
  }
  return hash;
}
