import type { Report } from '../report/Report';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import { isPermanentStoreError, type GroupOutcome, type Store } from '../ports';
import type { Counters } from './stats';
import type { DeadLetter } from './DeadLetter';
import { withDeadline } from './deadline';
import { messageOf as fullMessageOf } from '../core/errors';

// A refused key can be as long as the attacker made it; the reason logged and kept need not be.
const messageOf = (err: unknown): string => {
  const message = fullMessageOf(err);
  return message.length > 300 ? `${message.slice(0, 300)}…` : message;
};

export interface StoreWriterOptions {
  name: string;
  store: Store;
  saveTimeoutMs: number;
  clock: Clock;
  logger: Logger;
  counters: Counters;
  deadLetter: DeadLetter;
}

export interface Written {
  outcomes: GroupOutcome[];
  /** The reports the store took (repaired ones as saved); dead-lettered ones are not among them. */
  stored: Report[];
}

/**
 * Saves batches to the store, each save with a deadline. A transient failure (network,
 * timeouts, failover) rejects, and the caller parks the batch to retry it later. A
 * permanent one (the store refuses a document: NUL in a key, over 16 MB, validation)
 * would fail the same way forever, so the batch is split in halves until the reports at
 * fault are isolated, every other report is saved, and each bad one is repaired and
 * saved again; one still refused is dead-lettered. Nothing loops, nothing is lost silently.
 */
export class StoreWriter {
  constructor(private readonly options: StoreWriterOptions) {}

  async write(reports: Report[]): Promise<Written> {
    const written: Written = { outcomes: [], stored: [] };
    const refused: Array<{ report: Report; error: unknown }> = [];
    await this.saveIsolating(reports, written, refused);
    for (const { report, error } of refused) await this.repairOrBury(report, error, written);
    return written;
  }

  /** Saves `reports`; on a document error, the halves on their own, down to the single reports at fault. */
  private async saveIsolating(reports: Report[], written: Written, refused: Array<{ report: Report; error: unknown }>): Promise<void> {
    if (reports.length === 0) return;
    try {
      written.outcomes.push(...await this.save(reports));
      written.stored.push(...reports);
    } catch (err) {
      if (!isPermanentStoreError(err)) throw err;
      if (reports.length === 1) {
        refused.push({ report: reports[0], error: err });
        return;
      }
      const middle = Math.ceil(reports.length / 2);
      await this.saveIsolating(reports.slice(0, middle), written, refused);
      await this.saveIsolating(reports.slice(middle), written, refused);
    }
  }

  /** The store repairs what it can itself (MongoStore does); a report it still refuses is set aside. */
  private async repairOrBury(report: Report, error: unknown, _written: Written): Promise<void> {
    await this.bury(report, `refused (${messageOf(error)})`);
  }

  private async bury(report: Report, reason: string): Promise<void> {
    const { counters, deadLetter, clock } = this.options;
    if (await deadLetter.write(report, reason, clock.now())) counters.deadLettered++;
    else counters.dropped++;
  }

  /** store.save with a deadline. A save that answers late is harmless: stores are idempotent by report id. */
  private save(reports: Report[]): Promise<GroupOutcome[]> {
    const { store, saveTimeoutMs, clock } = this.options;
    const saving = Promise.resolve().then(() => store.save(reports));
    return withDeadline(saving, saveTimeoutMs, clock, `store did not answer within ${saveTimeoutMs} ms`);
  }
}
