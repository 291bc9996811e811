// The store's own state in tripwire_meta, shared by every app instance on the database:
// the visitors key and the new-group budget's hourly counters.
import { randomBytes } from 'node:crypto';
import type { mongo } from 'mongoose';
import type { ReportKind } from '../../report/Report';
import { budgetHour } from '../rules/overflowGroup';
import { DUPLICATE_KEY } from './storeErrors';
import type { MetaDoc } from './schemas';

const VISITOR_KEY_ID = 'visitor-key';
const HOUR_MS = 3_600_000;

export class StoreMeta {
  private visitorKeyLoading: Promise<Buffer> | null = null;

  constructor(private readonly meta: mongo.Collection<MetaDoc>) {}

  /**
   * The HMAC key of visitor hashes: random, made by the first instance that needs it and
   * read by the others, so every instance hashes a visitor alike. Kept in the database
   * only: deleting the document starts a new key (visitors are then counted afresh).
   */
  visitorKey(): Promise<Buffer> {
    this.visitorKeyLoading ??= this.loadVisitorKey().catch((err: unknown) => {
      this.visitorKeyLoading = null;
      throw err;
    });
    return this.visitorKeyLoading;
  }

  /**
   * Takes `wanted` new groups of `kind` from the hour's budget, atomically for every
   * instance (one counter document per kind and hour, moved by $inc); resolves how many
   * of them may open a group of their own.
   */
  async claimNewGroups(kind: ReportKind, wanted: number, limit: number, now: Date): Promise<number> {
    const hour = budgetHour(now);
    const _id = `new-groups:${kind}:${hour.toISOString()}`;
    const update = { $inc: { count: wanted }, $setOnInsert: { hour } };
    const after = await upsertRetrying(() => this.meta.findOneAndUpdate({ _id }, update, { upsert: true, returnDocument: 'after' }));
    const before = Number(after?.count ?? wanted) - wanted;
    return Math.max(0, Math.min(wanted, limit - before));
  }

  /** Deletes the budget counters of past hours. */
  async prune(now: Date): Promise<void> {
    await this.meta.deleteMany({ hour: { $lt: new Date(budgetHour(now).getTime() - HOUR_MS) } });
  }

  private async loadVisitorKey(): Promise<Buffer> {
    const candidate = randomBytes(32).toString('base64');
    await upsertRetrying(() => this.meta.updateOne({ _id: VISITOR_KEY_ID }, { $setOnInsert: { key: candidate } }, { upsert: true }));
    const doc = await this.meta.findOne({ _id: VISITOR_KEY_ID });
    if (typeof doc?.key !== 'string') throw new Error('MongoStore: the visitors key document has no key');
    return Buffer.from(doc.key, 'base64');
  }
}

/** Two instances upserting one _id at once: the loser's duplicate key error means the document exists, so once more finds it. */
async function upsertRetrying<T>(upsert: () => Promise<T>): Promise<T> {
  try {
    return await upsert();
  } catch (err) {
    if ((err as { code?: unknown } | null)?.code !== DUPLICATE_KEY) throw err;
    return upsert();
  }
}
