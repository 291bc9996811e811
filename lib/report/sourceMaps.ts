import { findSourceMap, SourceMap, type SourceMapPayload } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StackFrame } from './Report';
import { appRoot, displayPath, isInApp } from './appPaths';
import { MAP_EXTENSIONS, SOURCE_EXTENSIONS, type RootFiles } from './sourceFiles';

// TypeScript apps run compiled JavaScript; a report should show the code people wrote
// (issue 19 §2). Node maps stacks itself only with --enable-source-maps, which costs
// on every `error.stack` read (https://github.com/nodejs/node/issues/43817), so frames
// are mapped here, in the delivery worker: with the map Node kept for a module loaded
// while maps were enabled (module.findSourceMap), else with the map the build wrote
// (`tsc --sourceMap`: a "//# sourceMappingURL=" comment naming a file beside it, or an
// inline data: URL) parsed by Node's own SourceMap class. Maps are read lazily, only
// inside the root, and kept for a bounded number of files.

/** A frame's position in the original source, with that source's text when the map carries it. */
export interface OriginalPosition {
  /** Absolute path, or the map's own name for a source that is no file ("webpack://…"). */
  file: string;
  line: number;
  column: number;
  /** The source's lines, from the map's sourcesContent. */
  lines: string[] | null;
  /** `file` as reports show it (appPaths.displayPath), and whether it is the app's own code. */
  shown: string;
  inApp: boolean;
}

interface LoadedMap {
  map: SourceMap;
  /** The payload's sources as written, and each resolved (absolute where it names a file). */
  raw: string[];
  sources: string[];
  base: string;
  contents: Array<string | null>;
  lines: Array<string[] | null | undefined>;
  /** Per source, how it is shown from one root: worked out once, not per frame. */
  places: Map<string, { root: string; shown: string; inApp: boolean }>;
}

const MAPPING_URL = '//# sourceMappingURL=';
const DATA_URL = /^data:application\/json;(?:charset=utf-?8;)?base64,/i;

export class SourceMaps {
  private readonly cache = new Map<string, Promise<LoadedMap | null>>();

  constructor(private readonly files: RootFiles, private readonly maxFiles: number) {}

  /** The original position of 1-based `line`, `column` of the compiled `file` (absolute), or null; shown from `root`. */
  async original(file: string, line: number, column: number, root = appRoot()): Promise<OriginalPosition | null> {
    const loaded = await this.load(file);
    if (!loaded) return null;
    try {
      const entry = loaded.map.findEntry(line - 1, column - 1) as Partial<{ generatedLine: number; originalSource: string; originalLine: number; originalColumn: number }>;
      // The nearest mapping before the position may sit on an earlier line: no answer then.
      if (typeof entry.originalSource !== 'string' || entry.generatedLine !== line - 1 || typeof entry.originalLine !== 'number') return null;
      let index = loaded.raw.indexOf(entry.originalSource);
      const source = index === -1 ? resolveSource(entry.originalSource, loaded.base) : loaded.sources[index];
      if (index === -1) index = loaded.sources.indexOf(source);
      const place = placeOf(loaded, source, root);
      return { file: source, line: entry.originalLine + 1, column: (entry.originalColumn ?? 0) + 1, lines: index === -1 ? null : linesOf(loaded, index), ...place };
    } catch {
      return null;
    }
  }

  private load(file: string): Promise<LoadedMap | null> {
    let found = this.cache.get(file);
    if (found) {
      this.cache.delete(file);
    } else {
      found = this.read(file).catch(() => null);
      if (this.cache.size >= this.maxFiles) this.cache.delete(this.cache.keys().next().value!);
    }
    this.cache.set(file, found);
    return found;
  }

  private async read(file: string): Promise<LoadedMap | null> {
    if (!SOURCE_EXTENSIONS.has(path.extname(file).toLowerCase())) return null;
    const kept = findSourceMap(file);
    if (kept) return loaded(kept, path.dirname(file));
    const code = await this.files.read(file, SOURCE_EXTENSIONS);
    const at = code === null ? -1 : code.lastIndexOf(MAPPING_URL);
    if (code === null || at === -1) return null;
    const url = code.slice(at + MAPPING_URL.length).split(/\s/, 1)[0];
    if (DATA_URL.test(url)) return parsed(Buffer.from(url.slice(url.indexOf(',') + 1), 'base64').toString('utf8'), path.dirname(file));
    const mapFile = path.resolve(path.dirname(file), decodeURIComponent(url));
    const text = MAP_EXTENSIONS.has(path.extname(mapFile)) ? await this.files.read(mapFile, MAP_EXTENSIONS) : null;
    return text === null ? null : parsed(text, path.dirname(mapFile));
  }
}

function parsed(json: string, base: string): LoadedMap | null {
  try {
    return loaded(new SourceMap(JSON.parse(json) as SourceMapPayload), base);
  } catch {
    // A map that does not parse leaves the frame as it was.
    return null;
  }
}

function loaded(map: SourceMap, base: string): LoadedMap {
  const payload = map.payload;
  const root = typeof payload.sourceRoot === 'string' ? payload.sourceRoot : '';
  const raw = (Array.isArray(payload.sources) ? payload.sources : []).map(String);
  const sources = raw.map((source) => resolveSource(source, path.resolve(base, root)));
  const contents = sources.map((_, i) => (typeof payload.sourcesContent?.[i] === 'string' ? payload.sourcesContent[i] : null));
  return { map, raw, sources, contents, base, lines: [], places: new Map() };
}

// A source that is no file ("webpack://…") is shown as named, its frame's in-app flag kept.
function placeOf(loaded: LoadedMap, source: string, root: string): { shown: string; inApp: boolean } {
  const known = loaded.places.get(source);
  if (known?.root === root) return known;
  const isFile = path.isAbsolute(source);
  const place = { root, shown: isFile ? displayPath(source, root)! : source, inApp: isFile ? isInApp(source, root) : true };
  if (loaded.places.size < loaded.sources.length + 8) loaded.places.set(source, place);
  return place;
}

function linesOf(loaded: LoadedMap, index: number): string[] | null {
  if (loaded.lines[index] === undefined) loaded.lines[index] = loaded.contents[index]?.split(/\r?\n/) ?? null;
  return loaded.lines[index] ?? null;
}

// Node's own maps name sources by file:// URL, a build's by a path relative to the map.
function resolveSource(source: string, base: string): string {
  if (source.startsWith('file://')) {
    try {
      return fileURLToPath(source);
    } catch {
      return source;
    }
  }
  if (/^[a-z][\w+.-]*:/i.test(source)) return source;
  return path.resolve(base, source);
}

/** `frame` (app-relative, compiled) at its original position; unchanged when there is none. */
export function mappedFrame(frame: StackFrame, original: OriginalPosition | null): StackFrame {
  if (!original) return frame;
  return { ...frame, file: original.shown, line: original.line, column: original.column, inApp: frame.inApp && original.inApp, mapped: true };
}
