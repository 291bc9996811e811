import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ErrorInfo, Report, SourceContext, StackFrame } from './Report';
import { SafeReportFilter } from './scrub/SafeReportFilter';
import { appRoot } from './appPaths';
import { rejectUnknownKeys, checkNonNegativeInteger, checkPositiveInteger } from '../core/options';

export interface SourceContextOptions {
  /** Lines kept before and after each in-app frame's line; 0 turns source context off. */
  contextLines?: number;
  /** Files whose lines are kept in memory (least recently used goes first). */
  maxFiles?: number;
  /** Larger files are never read. */
  maxFileBytes?: number;
  /** Longer lines (minified code) are not shown. */
  maxLineLength?: number;
  /** In-app frames given context per error. */
  maxFrames?: number;
  /** Reading gives up after this long and the report goes on without context. */
  timeoutMs?: number;
  /** Only files under this directory are read (default: the app's root, process.cwd()). */
  root?: string;
  /** Scrubs every line like any other string of a report. */
  filter?: Pick<SafeReportFilter, 'cleanseText'>;
}

const DEFAULTS = {
  contextLines: 5,
  maxFiles: 10,
  maxFileBytes: 1024 * 1024,
  maxLineLength: 500,
  maxFrames: 10,
  timeoutMs: 1000,
};

// Source files only: a forged stack ("at x (/app/.env:1:1)") must not make us read secrets.
const SOURCE_EXTENSIONS = new Set(['.js', '.cjs', '.mjs', '.jsx', '.ts', '.cts', '.mts', '.tsx']);
// A secret hard-coded in source: `const apiKey = '…'`, `password: "…"`.
const ASSIGNED_LITERAL = /([A-Za-z_$][\w$-]*)(['"]?\s*[:=]\s*)(['"`])([^'"`\n]*)\3/g;
const LONG_LINE = '[long line omitted]';

export type Enricher = (report: Report) => Promise<Report>;

/**
 * An enricher for the delivery worker (it runs off the request path, before the save):
 * each in-app frame gets up to `contextLines` lines before and after its line, read from
 * a small LRU cache of files, never from node_modules, never outside the app's root,
 * scrubbed. Like Sentry's Node SDK (7 lines, 10 files). Never rejects: on any failure
 * the report goes on as it was.
 */
export function sourceContext(options: SourceContextOptions = {}): Enricher {
  if (options === null || typeof options !== 'object') throw new TypeError('sourceContext: options must be an object');
  rejectUnknownKeys('sourceContext', options, [...Object.keys(DEFAULTS), 'root', 'filter']);
  const settings = { ...DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
  checkNonNegativeInteger('sourceContext', 'contextLines', settings.contextLines);
  for (const key of ['maxFiles', 'maxFileBytes', 'maxLineLength', 'maxFrames', 'timeoutMs'] as const) checkPositiveInteger('sourceContext', key, settings[key]);
  const filter = options.filter ?? new SafeReportFilter();
  if (typeof filter.cleanseText !== 'function') throw new TypeError('sourceContext: filter must have a cleanseText(text) method (a SafeReportFilter)');
  const root = path.resolve(options.root ?? process.cwd());
  const files = new SourceFiles(root, settings.maxFiles, settings.maxFileBytes);
  const scrub = (line: string) => scrubLine(filter, line);

  return async function enrich(report: Report): Promise<Report> {
    if (settings.contextLines === 0 || !report?.error) return report;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), settings.timeoutMs);
      timer.unref?.();
    });
    try {
      const withContext = (error: Omit<ErrorInfo, 'cause'>) => framesWithContext(error.frames, files, settings, scrub);
      const work = (async () => {
        const error = report.error!;
        const frames = await withContext(error);
        const cause = await Promise.all((error.cause ?? []).map(async (c) => ({ ...c, frames: await withContext(c) })));
        return { ...report, error: { ...error, frames, cause } };
      })();
      return (await Promise.race([work, deadline])) ?? report;
    } catch {
      return report;
    } finally {
      clearTimeout(timer);
    }
  };
}

async function framesWithContext(frames: StackFrame[], files: SourceFiles, settings: typeof DEFAULTS, scrub: (line: string) => string): Promise<StackFrame[]> {
  let given = 0;
  const out: StackFrame[] = [];
  for (const frame of frames) {
    if (!frame.inApp || !frame.file || !frame.line || given >= settings.maxFrames) {
      out.push(frame);
      continue;
    }
    given += 1;
    const lines = await files.lines(frame.file);
    const context = lines && contextAt(lines, frame.line, settings, scrub);
    out.push(context ? { ...frame, context } : frame);
  }
  return out;
}

function contextAt(lines: string[], lineNumber: number, settings: typeof DEFAULTS, scrub: (line: string) => string): SourceContext | null {
  const index = lineNumber - 1;
  if (index < 0 || index >= lines.length || lines[index].length > settings.maxLineLength) return null;
  const show = (line: string) => (line.length > settings.maxLineLength ? LONG_LINE : scrub(line));
  const n = settings.contextLines;
  return {
    pre: lines.slice(Math.max(0, index - n), index).map(show),
    line: show(lines[index]),
    post: lines.slice(index + 1, index + 1 + n).map(show),
  };
}

function scrubLine(filter: Pick<SafeReportFilter, 'cleanseText'>, line: string): string {
  try {
    const hidden = filter instanceof SafeReportFilter ? filter : null;
    const masked = hidden
      ? line.replace(ASSIGNED_LITERAL, (match, name: string, op: string, quote: string) =>
          hidden.isHiddenKey(name) ? `${name}${op}${quote}${hidden.cleansedSubstitute}${quote}` : match)
      : line;
    return filter.cleanseText(masked);
  } catch {
    return '[unfilterable]';
  }
}

/** Lines of source files under `root`, a few files at a time (least recently used evicted). */
class SourceFiles {
  private readonly cache = new Map<string, Promise<string[] | null>>();

  constructor(private readonly root: string, private readonly maxFiles: number, private readonly maxBytes: number) {}

  lines(file: string): Promise<string[] | null> {
    // Frame paths are relative to the app's root (appPaths.ts); `root` only bounds what is read.
    const absolute = path.resolve(appRoot(), file);
    let found = this.cache.get(absolute);
    if (found) {
      this.cache.delete(absolute);
    } else {
      found = this.read(absolute);
      if (this.cache.size >= this.maxFiles) this.cache.delete(this.cache.keys().next().value!);
    }
    this.cache.set(absolute, found);
    return found;
  }

  private async read(absolute: string): Promise<string[] | null> {
    try {
      if (!SOURCE_EXTENSIONS.has(path.extname(absolute)) || /[\\/]node_modules[\\/]/.test(absolute)) return null;
      // The real path decides, so a symlink cannot lead outside the root.
      const [real, realRoot] = await Promise.all([fs.realpath(absolute), fs.realpath(this.root)]);
      if (!real.startsWith(realRoot + path.sep) || /[\\/]node_modules[\\/]/.test(real)) return null;
      const stat = await fs.stat(real);
      if (!stat.isFile() || stat.size > this.maxBytes) return null;
      return (await fs.readFile(real, 'utf8')).split(/\r?\n/);
    } catch {
      return null;
    }
  }
}
