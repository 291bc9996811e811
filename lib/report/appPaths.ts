import { realpathSync } from 'node:fs';
import path from 'node:path';

// Reports are read by people on other machines, and one bug must keep its issue when
// the app is deployed to another directory: "lib/routes/items.ts:42", never the
// deploying machine's "/srv/build-7f3a/lib/routes/items.ts:42" (issue 19 §1). The app's
// root is the working directory it was started from.

/** The app's root directory (process.cwd()). */
export function appRoot(): string {
  return process.cwd();
}

// This library's own code, run from this repository (lib/, dist/lib/) or installed
// anywhere (node_modules, npm link): never the app's, whatever the root (issue 19 §4).
const OWN_LIB = path.resolve(__dirname, '..');
const OWN_PACKAGE = path.basename(path.dirname(OWN_LIB)) === 'dist' ? path.resolve(OWN_LIB, '..', '..') : path.dirname(OWN_LIB);
const OWN_DIRS = [...new Set([OWN_LIB, path.join(OWN_PACKAGE, 'lib'), path.join(OWN_PACKAGE, 'dist', 'lib')].flatMap((dir) => [dir, realOrSelf(dir)]))].map((dir) => dir + path.sep);

function realOrSelf(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return dir;
  }
}

/** Whether `file` (absolute, as V8 printed it) is this library's own code. */
export function isOwnFile(file: string): boolean {
  return OWN_DIRS.some((dir) => file.startsWith(dir));
}

const WINDOWS_PATH = /^(?:[A-Za-z]:[\\/]|\\\\)/;

function flavourOf(file: string): path.PlatformPath {
  return WINDOWS_PATH.test(file) ? path.win32 : path.posix;
}

/** Whether `file` is absolute on either platform (a Windows stack read on Linux counts). */
export function isAbsoluteFile(file: string): boolean {
  return flavourOf(file).isAbsolute(file);
}

/** `file` is `root` or lies under it (same platform flavour). */
export function isInside(root: string, file: string): boolean {
  if (underRoot(root, file) !== null) return true;
  const flavour = flavourOf(file);
  if (flavour !== flavourOf(root)) return false;
  const relative = flavour.relative(root, file);
  return relative === '' || (!relative.startsWith('..') && !flavour.isAbsolute(relative));
}

// The common case without path.relative (the costly part of a parse): a normalised file under
// a root spelled the same way. Null when that does not settle it.
function underRoot(root: string, file: string): string | null {
  const sep = root.includes('\\') && !root.includes('/') ? '\\' : '/';
  const prefix = root.endsWith(sep) ? root : root + sep;
  if (!file.startsWith(prefix) || file.includes(`${sep}.`) || file.includes(sep + sep, prefix.length - 1)) return null;
  const rest = file.slice(prefix.length);
  return sep === '/' ? rest : rest.replace(/\\/g, '/');
}

/**
 * How a frame's file is shown and keyed: relative to the root with forward slashes;
 * this library's files as "koa-tripwire/lib/…" and any dependency as "node_modules/…"
 * when they lie outside the root; "node:fs", URLs and relative names unchanged.
 */
export function displayPath(file: string | null, root = appRoot()): string | null {
  if (file === null) return file;
  const under = underRoot(root, file);
  if (under !== null) return under;
  if (!isAbsoluteFile(file)) return file;
  const flavour = flavourOf(file);
  if (isInside(root, file)) return flavour.relative(root, file).split(flavour.sep).join('/') || '.';
  if (isOwnFile(file)) return `koa-tripwire/${path.relative(OWN_PACKAGE, file).split(path.sep).join('/')}`;
  const modules = file.search(/[\\/]node_modules[\\/]/);
  if (modules !== -1) return file.slice(modules + 1).split(flavour.sep).join('/');
  return flavour.relative(root, file).split(flavour.sep).join('/');
}

/**
 * Application code: a file inside the root, outside node_modules, not this library's
 * own (`file` absolute, as V8 printed it). Node's internals, URLs, eval'd and native
 * code are not.
 */
export function isInApp(file: string | null, root = appRoot()): boolean {
  if (file === null || !isAbsoluteFile(file) || !isInside(root, file)) return false;
  return !/[\\/]node_modules[\\/]/.test(file) && !isOwnFile(file);
}
