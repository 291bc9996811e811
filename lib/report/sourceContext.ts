import path from 'node:path';
import type { Report, SourceContext, StackFrame } from './Report';
import { SafeReportFilter } from './scrub/SafeReportFilter';
import { scrubSourceLines, type SourceFilter } from './scrub/sourceLines';
import { appRoot } from './appPaths';
import { groupedByContent, groupsByContent } from './grouping';
import { RootFiles, SourceFiles } from './sourceFiles';
import { mappedFrame, SourceMaps } from './sourceMaps';
import { checkNonNegativeInteger, checkPositiveInteger, declaredOptions, withDefaults, type OptionsOf } from '../core/options';

const sourceContextDefaults = {
  /** Lines kept before and after each in-app frame's line; 0 turns source context off (frames are still mapped). */
  contextLines: 5,
  /** Files whose lines are kept in memory (least recently used goes first). */
  maxFiles: 10,
  /** Larger files are never read. */
  maxFileBytes: 1024 * 1024,
  /** Longer lines (minified code) are not shown. */
  maxLineLength: 500,
  /** In-app frames given context per error. */
  maxFrames: 10,
  /** Reading gives up after this long and the report goes on without context. */
  timeoutMs: 1000,
  /** Frames of compiled files are shown at their original position (false: as run). */
  sourceMaps: true,
  /** Compiled files whose source maps are kept parsed (least recently used goes first). */
  maxMapFiles: 50,
  /** Larger compiled files and maps are never read. */
  maxMapBytes: 16 * 1024 * 1024,
  /** Only files under this directory are read (default: the app's root, process.cwd()). */
  root: undefined as string | undefined,
  /** Scrubs every line like any other string of a report (default: a SafeReportFilter). */
  filter: undefined as SourceFilter | undefined,
};

export type SourceContextOptions = OptionsOf<typeof sourceContextDefaults>;

const LONG_LINE = '[long line omitted]';

export type Enricher = (report: Report) => Promise<Report>;
type Settings = typeof sourceContextDefaults;
type Scrub = (lines: string[]) => string[];

/**
 * The enricher of the delivery worker (it runs off the request path, before the save).
 * First each in-app frame of a compiled file is mapped to its original file, line and
 * column through the file's source map (sourceMaps.ts), and the fingerprint and
 * grouping are computed again from the mapped frames (unless the app chose them).
 * Then each in-app frame gets up to `contextLines` lines before and after its line,
 * from the map's sourcesContent or from a small LRU cache of files read inside the root
 * (sourceFiles.ts), scrubbed. Like Sentry's Node SDK (7 lines, 10 files). Never
 * rejects: on any failure or past `timeoutMs` the report goes on as it was.
 */
export function sourceContext(options: SourceContextOptions = {}): Enricher {
  const settings = withDefaults(sourceContextDefaults, declaredOptions('sourceContext', sourceContextDefaults, options));
  checkNonNegativeInteger('sourceContext', 'contextLines', settings.contextLines);
  for (const key of ['maxFiles', 'maxFileBytes', 'maxLineLength', 'maxFrames', 'timeoutMs', 'maxMapFiles', 'maxMapBytes'] as const) checkPositiveInteger('sourceContext', key, settings[key]);
  if (typeof settings.sourceMaps !== 'boolean') throw new TypeError('sourceContext: sourceMaps must be true or false');
  const filter = settings.filter ?? new SafeReportFilter();
  if (typeof filter.cleanseText !== 'function') throw new TypeError('sourceContext: filter must have a cleanseText(text) method (a SafeReportFilter)');
  const root = path.resolve(settings.root ?? process.cwd());
  const files = new SourceFiles(new RootFiles(root, settings.maxFileBytes), settings.maxFiles);
  const maps = settings.sourceMaps ? new SourceMaps(new RootFiles(root, settings.maxMapBytes), settings.maxMapFiles) : null;
  const scrub: Scrub = (lines) => scrubWindow(lines, filter);
  if (settings.contextLines === 0 && !maps) return async (report) => report;

  return async function enrich(report: Report): Promise<Report> {
    if (!report?.error) return report;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), settings.timeoutMs);
      timer.unref?.();
    });
    try {
      const work = async () => {
        const step = (frames: StackFrame[]) => enrichFrames(frames, files, maps, settings, scrub);
        const error = report.error!;
        const frames = await step(error.frames);
        const cause = await Promise.all((error.cause ?? []).map(async (c) => ({ ...c, frames: await step(c.frames) })));
        const enriched: Report = { ...report, error: { ...error, frames, cause } };
        // Mapped frames are the code people wrote: they group, not the build's line numbers.
        const mapped = frames.some((frame) => frame.mapped);
        return mapped && report.kind === 'error' && groupsByContent(report.grouping) ? { ...enriched, ...groupedByContent(enriched) } : enriched;
      };
      return (await Promise.race([work(), deadline])) ?? report;
    } catch {
      return report;
    } finally {
      clearTimeout(timer);
    }
  };
}

async function enrichFrames(frames: StackFrame[], files: SourceFiles, maps: SourceMaps | null, settings: Settings, scrub: Scrub): Promise<StackFrame[]> {
  if (!Array.isArray(frames)) return frames;
  const base = appRoot();
  let given = 0;
  const out: StackFrame[] = [];
  for (const frame of frames) {
    if (!frame?.inApp || typeof frame.file !== 'string' || !frame.line) {
      out.push(frame);
      continue;
    }
    // Frame paths are relative to the app's root (appPaths.ts); the root option only bounds what is read.
    const absolute = path.resolve(base, frame.file);
    const original = maps && frame.column && !frame.mapped ? await maps.original(absolute, frame.line, frame.column, base) : null;
    const shown = mappedFrame(frame, original);
    if (settings.contextLines === 0 || given >= settings.maxFrames || !shown.inApp || !shown.line || shown.file === null) {
      out.push(shown);
      continue;
    }
    given += 1;
    const lines = original ? original.lines ?? (path.isAbsolute(original.file) ? await files.lines(original.file) : null) : await files.lines(absolute);
    const context = lines && contextAt(lines, shown.line, settings, scrub);
    out.push(context ? { ...shown, context } : shown);
  }
  return out;
}

function contextAt(lines: string[], lineNumber: number, settings: Settings, scrub: Scrub): SourceContext | null {
  const index = lineNumber - 1;
  if (index < 0 || index >= lines.length || lines[index].length > settings.maxLineLength) return null;
  const n = settings.contextLines;
  const first = Math.max(0, index - n);
  const window = lines.slice(first, index + 1 + n);
  const shown = scrub(window.map((line) => (line.length > settings.maxLineLength ? LONG_LINE : line)));
  const at = index - first;
  return { pre: shown.slice(0, at), line: shown[at], post: shown.slice(at + 1) };
}

/**
 * The one place a window of source lines is scrubbed: as one text (a PEM block across
 * lines, a value on the line after its name, literals on a line naming a secret), by
 * scrubSourceLines in lib/report/scrub/sourceLines.ts.
 */
function scrubWindow(lines: string[], filter: SourceFilter): string[] {
  try {
    return scrubSourceLines(lines, filter);
  } catch {
    return lines.map(() => '[unfilterable]');
  }
}
