import type { Report } from '../report/Report';
import type { Clock } from '../core/clock';
import type { GroupOutcome, Store } from './ports';
import { withDeadline } from './deadline';

export interface StoreWriterOptions {
  store: Store;
  saveTimeoutMs: number;
  clock: Clock;
}

export interface Written {
  outcomes: GroupOutcome[];
  /** The reports the store took (repaired ones as saved). */
  stored: Report[];
}

/** Saves batches to the store with a deadline. Rejects on a failure worth retrying later. */
export class StoreWriter {
  constructor(private readonly options: StoreWriterOptions) {}

  async write(reports: Report[]): Promise<Written> {
    return { outcomes: await this.save(reports), stored: reports };
  }

  /** store.save with a deadline. A save that answers late is harmless: stores are idempotent by report id. */
  private save(reports: Report[]): Promise<GroupOutcome[]> {
    const { store, saveTimeoutMs, clock } = this.options;
    const saving = Promise.resolve().then(() => store.save(reports));
    return withDeadline(saving, saveTimeoutMs, clock, `store did not answer within ${saveTimeoutMs} ms`);
  }
}
