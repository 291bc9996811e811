import path from 'node:path';
import type { Report } from '../report/Report';
import type { Logger } from '../core/logger';
import { messageOf } from '../core/errors';
import { makePrivateDir, openPrivateFile } from './privateFiles';

/**
 * Reports the store refused for good (PermanentStoreError): one NDJSON line each, `{ id, reason, at,
 * report }`, in `<outboxDir>/dead/<date>-<pid>.ndjson` (a file per process, so processes
 * sharing the outbox never interleave), 0600 in a 0700 folder. Reports are scrubbed when built, so the file
 * holds nothing a store would not. Each is logged once with its id and why. Bounded by
 * `maxBytes`: past it a report is counted and logged, not written.
 */
export class DeadLetter {
  readonly dir: string;
  private readonly file: string;
  private bytes = 0;
  private writing: Promise<unknown> = Promise.resolve();

  constructor(outboxDir: string, private readonly maxBytes: number, private readonly logger: Logger, private readonly name: string) {
    this.dir = path.join(outboxDir, 'dead');
    this.file = path.join(this.dir, `${new Date().toISOString().slice(0, 10)}-${process.pid}.ndjson`);
  }

  /** Resolves whether the line was written; never rejects. One write at a time, in order. */
  write(report: Report, reason: string, at: number): Promise<boolean> {
    const id = typeof report?.id === 'string' ? report.id : null;
    const written = this.writing.then(async () => {
      let line: string;
      try {
        line = `${JSON.stringify({ id, reason, at: new Date(at).toISOString(), report })}\n`;
      } catch (err) {
        line = `${JSON.stringify({ id, reason: `${reason}; the report itself could not be written: ${messageOf(err)}`, at: new Date(at).toISOString() })}\n`;
      }
      const size = Buffer.byteLength(line);
      if (this.bytes + size > this.maxBytes) {
        this.logger.error('report dead-lettered but the dead-letter file is full; not written', { delivery: this.name, reportId: id, reason });
        return false;
      }
      await makePrivateDir(this.dir);
      const handle = await openPrivateFile(this.file, 'a');
      try {
        await handle.appendFile(line);
      } finally {
        await handle.close();
      }
      this.bytes += size;
      this.logger.error('report the store refused for good was dead-lettered', { delivery: this.name, reportId: id, reason, file: this.file });
      return true;
    }).catch((err: unknown) => {
      this.logger.error('could not dead-letter a report', { delivery: this.name, reportId: id, reason, error: messageOf(err) });
      return false;
    });
    this.writing = written;
    return written;
  }
}
