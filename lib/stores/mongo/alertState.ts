// The one module that writes a group's alert throttle state (`alert.lastAt`, `alert.pending`).
import type { Model, mongo } from 'mongoose';
import type { AlertClaim, AlertLedger, AlertVerdict, DigestClaim } from '../../delivery/ports';
import { rawCollection, type AlertState } from './schemas';

interface WithAlert {
  _id: string;
  alert?: AlertState;
  count?: number;
}

/**
 * The claim a group's creation takes, atomically with its insert: the instance that
 * creates a group announces it, so no other instance announces it as a window alert.
 * Reopening (a regression, a snooze that ran out) takes the same claim in its conditional update.
 */
export function newGroupClaim(now: Date): Record<string, unknown> {
  return { 'alert.lastAt': now, 'alert.pending': 0 };
}

export const reopenClaim = newGroupClaim;

/**
 * Alert throttle state kept on the group's own document (issue or broken link), moved
 * only by conditional single-document updates: when several app instances share one
 * database, exactly one of them wins the window and announces it.
 *
 * An announced call holds back its other occurrences (`occurrences - 1`) as pending,
 * so the digest at the window's end accounts for every occurrence.
 */
export class MongoAlertLedger implements AlertLedger {
  private readonly collection: mongo.Collection<WithAlert>;

  /** `use` runs a call on the store's open connection (it opens lazily and closes when idle). */
  constructor(model: Model<WithAlert>, private readonly use: <T>(work: () => Promise<T>) => Promise<T>) {
    this.collection = rawCollection(model);
  }

  record(claim: AlertClaim): Promise<AlertVerdict> {
    return this.use(async () => {
      const _id = String(claim.fingerprint);
      const announce = { $set: { 'alert.lastAt': claim.now, 'alert.pending': Math.max(0, claim.occurrences - 1) } };
      const windowStart = new Date(claim.now.getTime() - claim.windowMs);
      const filter = claim.force
        ? { _id }
        : { _id, $or: [{ 'alert.lastAt': { $lte: windowStart } }, { 'alert.lastAt': { $exists: false } }] };
      const before = await this.collection.findOneAndUpdate(filter, announce, { returnDocument: 'before' });
      if (before) return { send: true, suppressed: pendingOf(before) };
      if (claim.occurrences > 0) await this.collection.updateOne({ _id }, { $inc: { 'alert.pending': claim.occurrences } });
      return { send: false, suppressed: 0 };
    });
  }

  claimDigest(_kind: AlertClaim['kind'], fingerprint: string, now: Date, windowMs: number): Promise<DigestClaim> {
    return this.use(async () => {
      const before = await this.collection.findOneAndUpdate(
        { _id: String(fingerprint), 'alert.pending': { $gt: 0 }, 'alert.lastAt': { $lte: new Date(now.getTime() - windowMs) } },
        { $set: { 'alert.lastAt': now, 'alert.pending': 0 } },
        { returnDocument: 'before' },
      );
      // The count is the store's, so a digest speaks for every instance, not just this one.
      return before ? { suppressed: pendingOf(before), count: countOf(before) } : { suppressed: 0, count: null };
    });
  }
}

function countOf(doc: WithAlert): number | null {
  const count = Number(doc.count);
  return Number.isFinite(count) ? count : null;
}

function pendingOf(doc: WithAlert): number {
  const pending = Number(doc.alert?.pending ?? 0);
  return Number.isFinite(pending) && pending > 0 ? pending : 0;
}
