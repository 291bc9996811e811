import type { Report, ReportKind } from '../report/Report';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import { isPermanentStoreError, type GroupOutcome, type SavePolicy, type Store } from '../contracts/store';
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
  /** Sent with every save (`SavePolicy`), so a stream of reports cannot grow the store without bound. */
  maxNewGroupsPerHour: Record<ReportKind, number>;
  maxClockSkewMs: number;
  clock: Clock;
  logger: Logger;
  counters: Counters;
  deadLetter: DeadLetter;
}

export interface Written {
  outcomes: GroupOutcome[];
  /** The reports the store took; dead-lettered ones are not among them. */
  stored: Report[];
}

/**
 * Saves batches to the store, each save with a deadline and the save policy. A transient
 * failure (network, timeouts, failover) rejects, and the caller parks the batch to retry
 * it later. A `PermanentStoreError` says the reports themselves are at fault (the store
 * has already repaired what it could, as MongoStore escapes keys and cuts sizes): the
 * batch is split in halves until the reports at fault are isolated, every other report is
 * saved, and each refused one is dead-lettered. Nothing loops, nothing is lost silently.
 * What a store error means is the store's business: delivery knows only PermanentStoreError.
 */
export class StoreWriter {
  constructor(private readonly options: StoreWriterOptions) {}

  async write(reports: Report[]): Promise<Written> {
    const written: Written = { outcomes: [], stored: [] };
    await this.saveIsolating(reports, written);
    return written;
  }

  /** Saves `reports`; on a permanent refusal, the halves on their own, down to the single reports at fault. */
  private async saveIsolating(reports: Report[], written: Written): Promise<void> {
    if (reports.length === 0) return;
    try {
      written.outcomes.push(...await this.save(reports));
      written.stored.push(...reports);
    } catch (err) {
      if (!isPermanentStoreError(err)) throw err;
      if (reports.length === 1) {
        await this.bury(reports[0], `refused by the store: ${messageOf(err)}`);
        return;
      }
      const middle = Math.ceil(reports.length / 2);
      await this.saveIsolating(reports.slice(0, middle), written);
      await this.saveIsolating(reports.slice(middle), written);
    }
  }

  private async bury(report: Report, reason: string): Promise<void> {
    const { counters, deadLetter, clock } = this.options;
    if (await deadLetter.write(report, reason, clock.now())) counters.deadLettered++;
    else counters.dropped++;
  }

  /** store.save with a deadline. A save that answers late is harmless: stores are idempotent by report id. */
  private save(reports: Report[]): Promise<GroupOutcome[]> {
    const { store, saveTimeoutMs, clock, maxNewGroupsPerHour, maxClockSkewMs } = this.options;
    const policy: SavePolicy = { maxNewGroupsPerHour: { ...maxNewGroupsPerHour }, now: new Date(clock.now()), maxClockSkewMs };
    const saving = Promise.resolve().then(() => store.save(reports, policy));
    return withDeadline(saving, saveTimeoutMs, clock, `store did not answer within ${saveTimeoutMs} ms`);
  }
}
