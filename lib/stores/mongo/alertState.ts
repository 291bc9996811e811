// The one module that writes a group's alert throttle state (`alert.lastAt`, `alert.pending`).
import type { Model, mongo } from 'mongoose';
import type { AlertClaim, AlertLedger, AlertVerdict, DigestClaim } from '../../contracts/store';
import { rawCollection, type AlertState } from './schemas';

interface WithAlert {
  _id: string;
  status?: string;
  alert?: AlertState;
  count?: number;
}

/** Groups in these states are stored and counted but never announced, by any instance. */
const SILENCED = ['ignored', 'snoozed'];

/**
 * The claim a group's creation takes, atomically with its insert, and a regression in
 * its conditional reopening: that instance announces the group (its verdict rides on
 * the save's outcome, see `claimedVerdict`), so no other announces it as a window alert.
 * The other occurrences of the batch are held back for the window's digest, as
 * `MongoAlertLedger.record` does for an announced call.
 */
export function newGroupClaim(now: Date, occurrences: number): Record<string, unknown> {
  return { 'alert.lastAt': now, 'alert.pending': Math.max(0, occurrences - 1) };
}

/** The verdict of a claim taken on the save; `before` is the group's alert state before it. */
export function claimedVerdict(before: AlertState | undefined): AlertVerdict {
  return { send: true, suppressed: pendingOf({ _id: '', alert: before }) };
}

/** What a silenced (ignored or snoozed) group's save says: nothing to announce, nothing held back. */
export const SILENT: AlertVerdict = Object.freeze({ send: false, suppressed: 0 });

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
      const audible = { _id, status: { $nin: SILENCED } };
      const filter = claim.force
        ? audible
        : { ...audible, $or: [{ 'alert.lastAt': { $lte: windowStart } }, { 'alert.lastAt': { $exists: false } }] };
      const before = await this.collection.findOneAndUpdate(filter, announce, { returnDocument: 'before' });
      if (before) return { send: true, suppressed: pendingOf(before) };
      // Held back for the digest; a silenced group holds nothing back, so waking it owes no digest.
      if (claim.occurrences > 0) await this.collection.updateOne(audible, { $inc: { 'alert.pending': claim.occurrences } });
      return { send: false, suppressed: 0 };
    });
  }

  claimDigest(_kind: AlertClaim['kind'], fingerprint: string, now: Date, windowMs: number): Promise<DigestClaim> {
    return this.use(async () => {
      const before = await this.collection.findOneAndUpdate(
        { _id: String(fingerprint), status: { $nin: SILENCED }, 'alert.pending': { $gt: 0 }, 'alert.lastAt': { $lte: new Date(now.getTime() - windowMs) } },
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
