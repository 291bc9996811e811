import { promises as fs } from 'node:fs';
import path from 'node:path';

// What the delivery worker may read to show code: source files (and their source
// maps) of the app, nothing else. A frame's file comes from a stack, and a stack may
// be forged ("at x (/app/.env:1:1)") or a file a symlink (lib/x.js → ../.env): both the
// name and the file it resolves to (realpath) must lie inside the root, outside
// node_modules, and carry a source extension (issue 18 §4).

export const SOURCE_EXTENSIONS: ReadonlySet<string> = new Set(['.js', '.cjs', '.mjs', '.jsx', '.ts', '.cts', '.mts', '.tsx']);
export const MAP_EXTENSIONS: ReadonlySet<string> = new Set(['.map']);
const NODE_MODULES = /[\\/]node_modules[\\/]/;

/** Reads files under one root by the rules above; every failure is null, never a throw. */
export class RootFiles {
  private realRoot: Promise<string | null> | null = null;

  constructor(readonly root: string, private readonly maxBytes: number) {}

  /** The text of `absolute` when it and its real target are inside the root with one of `extensions`. */
  async read(absolute: string, extensions: ReadonlySet<string>): Promise<string | null> {
    try {
      if (!this.allowed(absolute, this.root, extensions)) return null;
      const realRoot = await (this.realRoot ??= fs.realpath(this.root).catch(() => null));
      const real = await fs.realpath(absolute);
      if (realRoot === null || !this.allowed(real, realRoot, extensions)) return null;
      const handle = await fs.open(real, 'r');
      try {
        const stat = await handle.stat();
        if (!stat.isFile() || stat.size > this.maxBytes) return null;
        return await handle.readFile('utf8');
      } finally {
        await handle.close();
      }
    } catch {
      return null;
    }
  }

  private allowed(file: string, root: string, extensions: ReadonlySet<string>): boolean {
    const prefix = root.endsWith(path.sep) ? root : root + path.sep;
    return file.startsWith(prefix) && !NODE_MODULES.test(file.slice(prefix.length - 1)) && extensions.has(path.extname(file).toLowerCase());
  }
}

/** Lines of source files, a few files at a time (least recently used evicted). */
export class SourceFiles {
  private readonly cache = new Map<string, Promise<string[] | null>>();

  constructor(private readonly files: RootFiles, private readonly maxFiles: number) {}

  lines(absolute: string): Promise<string[] | null> {
    let found = this.cache.get(absolute);
    if (found) {
      this.cache.delete(absolute);
    } else {
      found = this.files.read(absolute, SOURCE_EXTENSIONS).then((text) => (text === null ? null : text.split(/\r?\n/)));
      if (this.cache.size >= this.maxFiles) this.cache.delete(this.cache.keys().next().value!);
    }
    this.cache.set(absolute, found);
    return found;
  }
}
