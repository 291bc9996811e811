import fs from 'node:fs/promises';
import path from 'node:path';
import type { Report } from '../report/Report';
import type { Logger } from '../core/logger';
import { messageOf } from '../core/errors';
import { makePrivateDir, openPrivateFile } from './privateFiles';

/** One line of a segment. `notified`: its alerts already went out, so a replay must not send them again. */
export interface OutboxEntry {
  report: Report;
  notified: boolean;
}

export interface Segment {
  seq: number;
  file: string;
  bytes: number;
}

const SEGMENT_NAME = /^(\d{1,15})\.ndjson$/;
// Big enough that a storm does not make thousands of files, small enough to replay in one save.
const SEGMENT_MAX_BYTES = 1024 * 1024;

/**
 * Reports parked on disk while the store cannot take them: NDJSON segments
 * `<dir>/<zero-padded seq>.ndjson`, each written whole and fsync'd before it is
 * listed, replayed oldest first, and deleted only after the store took it. The folder is
 * 0700 and its files 0600 (privateFiles.ts): they hold unsent reports. Bounded by
 * `maxBytes`; what does not fit is reported back as dropped.
 */
export class Outbox {
  readonly ready: Promise<boolean>;
  private segments: Segment[] = [];
  private bytes = 0;
  private nextSeq = 1;
  /** Segments numbered below this were listed at open: an earlier process left them. */
  private firstOwnSeq = 1;
  private writing: Promise<unknown> = Promise.resolve();
  private pendingWrites = 0;
  private usable = false;
  private made = false;

  constructor(private readonly dir: string, private readonly maxBytes: number, private readonly logger: Logger) {
    this.ready = this.open();
  }

  /** Nothing parked and nothing being written. */
  get empty(): boolean {
    return this.segments.length === 0 && this.pendingWrites === 0;
  }

  get sizeBytes(): number {
    return this.bytes;
  }

  oldest(): Segment | undefined {
    return this.segments[0];
  }

  /** Once the folder is listed: whether segments an earlier process left are still there. */
  async holdsEarlierSegments(): Promise<boolean> {
    await this.ready;
    // Segments are listed in number order, so the oldest tells.
    const oldest = this.oldest();
    return oldest !== undefined && oldest.seq < this.firstOwnSeq;
  }

  /** Resolves once every append requested so far has settled. */
  idle(): Promise<void> {
    return this.writing.then(() => undefined, () => undefined);
  }

  /**
   * Writes entries in order; resolves how many were written and how many did not fit
   * (or could not be written). Never rejects.
   */
  append(entries: OutboxEntry[]): Promise<{ written: number; dropped: number }> {
    this.pendingWrites++;
    const result = this.writing
      .then(() => this.write(entries))
      .catch((err: unknown) => {
        this.logger.error('could not write to the outbox', { dir: this.dir, error: messageOf(err) });
        return { written: 0, dropped: entries.length };
      })
      .finally(() => { this.pendingWrites--; });
    this.writing = result;
    return result;
  }

  /** The segment's entries; a corrupt line (say, cut short by a kill mid-write) is skipped and logged. */
  async read(segment: Segment): Promise<OutboxEntry[]> {
    let text: string;
    try {
      text = await fs.readFile(segment.file, 'utf8');
    } catch (err) {
      this.logger.error('outbox segment unreadable; skipped', { file: segment.file, error: messageOf(err) });
      return [];
    }
    const entries: OutboxEntry[] = [];
    const lines = text.split('\n');
    lines.forEach((line, index) => {
      if (!line.trim()) return;
      const entry = parseEntry(line);
      if (entry) entries.push(entry);
      else this.logger.warn('outbox line is corrupt and was skipped', { file: segment.file, line: index + 1, last: index >= lines.length - 2 });
    });
    return entries;
  }

  /** After its replay, or when it gave nothing to replay (unreadable, every line corrupt). */
  async remove(segment: Segment): Promise<void> {
    const index = this.segments.indexOf(segment);
    if (index !== -1) {
      this.segments.splice(index, 1);
      this.bytes -= segment.bytes;
    }
    await fs.rm(segment.file, { force: true }).catch((err: unknown) => {
      this.logger.warn('could not delete an outbox segment', { file: segment.file, error: messageOf(err) });
    });
  }

  /**
   * Lists segments left by an earlier process, oldest first. The folder is made (0700) by
   * the first write, not here: an app whose store never fails leaves no folder behind.
   */
  private async open(): Promise<boolean> {
    try {
      if (!(await exists(this.dir))) {
        this.usable = true;
        return true;
      }
      // A folder an earlier version made 0755 is tightened before anything is read from it.
      await makePrivateDir(this.dir);
      this.made = true;
      const names = await fs.readdir(this.dir);
      for (const name of names) {
        const match = SEGMENT_NAME.exec(name);
        if (!match) continue;
        const file = path.join(this.dir, name);
        const { size } = await fs.stat(file);
        this.segments.push({ seq: Number(match[1]), file, bytes: size });
        this.bytes += size;
      }
      this.segments.sort((a, b) => a.seq - b.seq);
      this.nextSeq = (this.segments.at(-1)?.seq ?? 0) + 1;
      this.firstOwnSeq = this.nextSeq;
      if (this.segments.length) this.logger.info('outbox holds reports from an earlier run; replaying them', { dir: this.dir, segments: this.segments.length });
      this.usable = true;
    } catch (err) {
      this.logger.error('outbox directory unusable; reports the store cannot take will be dropped', { dir: this.dir, error: messageOf(err) });
    }
    return this.usable;
  }

  private async write(entries: OutboxEntry[]): Promise<{ written: number; dropped: number }> {
    await this.ready;
    if (!this.usable) return { written: 0, dropped: entries.length };
    if (!this.made) {
      try {
        await makePrivateDir(this.dir);
        this.made = true;
      } catch (err) {
        this.logger.error('outbox directory unusable; reports the store cannot take are dropped', { dir: this.dir, error: messageOf(err) });
        return { written: 0, dropped: entries.length };
      }
    }
    const chunks: string[][] = [[]];
    let chunkBytes = 0;
    let room = this.maxBytes - this.bytes;
    let dropped = 0;
    for (const entry of entries) {
      const line = `${JSON.stringify(entry)}\n`;
      const size = Buffer.byteLength(line);
      if (size > room) {
        dropped++;
        continue;
      }
      room -= size;
      if (chunkBytes > 0 && chunkBytes + size > SEGMENT_MAX_BYTES) {
        chunks.push([]);
        chunkBytes = 0;
      }
      chunks[chunks.length - 1].push(line);
      chunkBytes += size;
    }
    let written = 0;
    for (const lines of chunks) {
      if (lines.length === 0) continue;
      if (await this.writeSegment(lines.join(''))) written += lines.length;
      else dropped += lines.length;
    }
    return { written, dropped };
  }

  private async writeSegment(data: string): Promise<boolean> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const seq = this.nextSeq++;
      const file = path.join(this.dir, `${String(seq).padStart(12, '0')}.ndjson`);
      let handle: fs.FileHandle | undefined;
      try {
        // Exclusive create: another process sharing the directory never has its segment overwritten.
        handle = await openPrivateFile(file, 'wx');
        await handle.writeFile(data);
        await handle.sync();
        await handle.close();
        const bytes = Buffer.byteLength(data);
        this.segments.push({ seq, file, bytes });
        this.bytes += bytes;
        return true;
      } catch (err) {
        await handle?.close().catch(() => undefined);
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
        this.logger.error('could not write to the outbox', { file, error: messageOf(err) });
        if (handle) await fs.rm(file, { force: true }).catch(() => undefined);
        return false;
      }
    }
    return false;
  }
}

function parseEntry(line: string): OutboxEntry | null {
  try {
    const value = JSON.parse(line) as Partial<OutboxEntry> | null;
    if (!value || typeof value !== 'object' || !value.report || typeof value.report.id !== 'string') return null;
    return { report: value.report as Report, notified: value.notified === true };
  } catch {
    return null;
  }
}

async function exists(dir: string): Promise<boolean> {
  try {
    await fs.access(dir);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}
