import path from 'node:path';

// Reports are read by people on other machines: "lib/routes/items.ts:42", not the
// deploying machine's "/srv/build-7f3a/lib/routes/items.ts:42" (issue 10 §4). The app's
// root is the working directory it was started from, as for fingerprints.

const MAX_CACHED = 1000;
const relatives = new Map<string, string>();
let cachedRoot = '';

/** The app's root directory (process.cwd()). */
export function appRoot(): string {
  const root = process.cwd();
  if (root !== cachedRoot) {
    cachedRoot = root;
    relatives.clear();
  }
  return root;
}

/** `file` relative to the app's root, with forward slashes; URLs and names like "node:fs" unchanged. */
export function appRelative(file: string | null): string | null {
  if (file === null || !path.isAbsolute(file)) return file;
  const root = appRoot();
  let relative = relatives.get(file);
  if (relative === undefined) {
    relative = path.relative(root, file).split(path.sep).join('/') || '.';
    if (relatives.size >= MAX_CACHED) relatives.clear();
    relatives.set(file, relative);
  }
  return relative;
}

/** The stack text with the app's root cut from every path in it (file:// URLs included). */
export function relativeStack(stack: string): string {
  const root = appRoot();
  if (root === path.sep) return stack;
  const prefix = root + path.sep;
  if (!stack.includes(prefix)) return stack;
  const url = `file://${prefix}`;
  return (stack.includes(url) ? stack.split(url).join('') : stack).split(prefix).join('');
}
