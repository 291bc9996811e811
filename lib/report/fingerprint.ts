import { createHash } from 'node:crypto';
import path from 'node:path';
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
 * type and the message are used, with numbers, hex ids and UUIDs replaced by
 * placeholders so "user 42 not found" and "user 43 not found" group together.
 */
export function errorFingerprint(
  error: Pick<ErrorInfo, 'type' | 'message' | 'frames'>,
  cwd = process.cwd(),
  /** Text the client chose (the request's URL and path): left out of a message used for grouping. */
  fromUrl: string[] = [],
): string {
  const frames = collapseRecursion(error.frames.filter((frame) => frame.inApp).map((frame) => frameKey(frame, cwd)));
  if (frames.length > 0) return sha1([error.type, ...frames]);
  return sha1([error.type, normaliseMessage(withoutUrl(error.message, fromUrl))]);
}

// Longest first, so the URL goes before the path it contains; "/" alone is too common to cut.
function withoutUrl(message: string, fromUrl: string[]): string {
  let out = message;
  for (const part of [...fromUrl].sort((a, b) => b.length - a.length)) {
    if (part.length > 1 && out.includes(part)) out = out.split(part).join('<url>');
  }
  return out;
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

export function normaliseMessage(message: string): string {
  return message
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>')
    .replace(/\b(?=[0-9a-f]*\d)[0-9a-f]{8,}\b/gi, '<hex>')
    .replace(/\d+/g, '<n>');
}

function frameKey(frame: StackFrame, cwd: string): string {
  const file = frame.file ? relativeFile(frame.file, cwd) : '?';
  const name = frame.function && !/(^|\.)<anonymous>$/.test(frame.function) ? frame.function : null;
  return name ? `${file} ${name}` : `${file}:${frame.line ?? '?'} <anonymous>`;
}

// An app throws from a few hundred files and sites at most: path.relative and the hash
// are the costly parts of a fingerprint, so both are remembered (boundedly).
const MAX_CACHED = 1000;
const MAX_CACHED_KEY_LENGTH = 4096;
const relativeFiles = new Map<string, Map<string, string>>();
const hashes = new Map<string, string>();

function relativeFile(file: string, cwd: string): string {
  let forCwd = relativeFiles.get(cwd);
  if (!forCwd) relativeFiles.set(cwd, (forCwd = new Map()));
  let relative = forCwd.get(file);
  if (relative === undefined) {
    relative = path.relative(cwd, file).split(path.sep).join('/');
    if (forCwd.size >= MAX_CACHED) forCwd.clear();
    forCwd.set(file, relative);
  }
  return relative;
}

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
