import type { Logger } from '../../core/logger';
import type { Clock } from '../../core/clock';
import { messageOf } from '../../core/errors';
import { isIndexConflict, isTransientFailure } from './storeErrors';
import { rawCollection, type BrokenLinkDoc, type EventDoc, type IssueDoc, type TripwireModels } from './schemas';
import type { StoreMeta } from './storeMeta';

const PRUNE_EVERY_MS = 60 * 60_000;
const TTL_INDEX = 'timestamp_ttl';

/**
 * Keeps events for `retentionDays`, and issues and broken links until they have not been
 * seen for `retentionDays` (then they go with their events, which are older still). A TTL index lets the server expire them
 * (https://www.mongodb.com/docs/manual/core/index-ttl/); since some MongoDB-speaking
 * servers accept the index but never run its monitor, or refuse it, saves also prune
 * what is past the cutoff, at most once an hour. Pruning rides on saves rather than a
 * timer so an idle store has no reason to reopen its connection.
 */
export class EventRetention {
  private nextPruneAt = 0;

  constructor(
    private readonly models: Pick<TripwireModels, 'events' | 'issues' | 'brokenLinks'>,
    private readonly meta: StoreMeta,
    private readonly retentionDays: number,
    private readonly logger: Logger,
    private readonly clock: Clock,
  ) {}

  /** Resolves true once the TTL index is settled (or refused for good); false means try again later. */
  async ensureIndex(): Promise<boolean> {
    const expireAfterSeconds = Math.round(this.retentionDays * 86_400);
    try {
      await this.models.events.collection.createIndex({ timestamp: 1 }, { expireAfterSeconds, name: TTL_INDEX });
      return true;
    } catch (err) {
      if (isIndexConflict(err)) return this.meetConflict(expireAfterSeconds);
      this.logger.warn('could not create the events TTL index; old events are pruned on saves instead', { error: messageOf(err) });
      return !isTransientFailure(err);
    }
  }

  /** Deletes the events and the groups older than the retention at `now`; resolves how many events went. */
  async prune(now = new Date(this.clock.now())): Promise<number> {
    const cutoff = new Date(now.getTime() - this.retentionDays * 86_400_000);
    const result = await rawCollection<EventDoc>(this.models.events).deleteMany({ timestamp: { $lt: cutoff } });
    const groups = [rawCollection<IssueDoc>(this.models.issues), rawCollection<BrokenLinkDoc>(this.models.brokenLinks)];
    await Promise.all(groups.map((collection) => collection.deleteMany({ lastSeen: { $lt: cutoff } })));
    await this.meta.prune(now);
    return result.deletedCount;
  }

  /**
   * Prunes when an hour of the store's clock has passed since the last prune; never throws
   * into a save. The cutoff is taken from `now`, the save's (SavePolicy.now, which filed its
   * events): a cutoff from another clock could delete what the save has just filed.
   */
  async pruneIfDue(now: Date): Promise<void> {
    const storeNow = this.clock.now();
    if (storeNow < this.nextPruneAt) return;
    this.nextPruneAt = storeNow + PRUNE_EVERY_MS;
    await this.prune(now).catch((err: unknown) => {
      this.logger.warn('pruning old events failed; will retry', { error: messageOf(err) });
      this.nextPruneAt = 0;
    });
  }

  /**
   * Our index under its name with other options (a changed retentionDays meets the one created
   * with the old): its expiry is changed in place. An index of the app's own (on the timestamp
   * under another name, or under our name on other keys) is a conflict too, but there is no
   * TTL of ours to change, and theirs is not ours to change: saves prune.
   */
  private async meetConflict(expireAfterSeconds: number): Promise<boolean> {
    let existing: Array<{ name?: string; key?: unknown }>;
    try {
      existing = await this.models.events.collection.indexes();
    } catch (err) {
      this.logger.warn('could not read the events indexes; the TTL is tried again later', { error: messageOf(err) });
      return false;
    }
    const onTimestamp = (index: { key?: unknown }) => JSON.stringify(index.key) === '{"timestamp":1}';
    if (!existing.some((index) => index.name === TTL_INDEX && onTimestamp(index))) {
      const theirs = existing.find((index) => index.name === TTL_INDEX || onTimestamp(index));
      this.logger.warn('an index of the app\'s own stands where the events TTL index goes, so the server cannot expire events; old events are pruned on saves instead (drop that index and restart to let the server expire them)', { index: theirs?.name ?? null });
      return true;
    }
    try {
      await this.models.events.db.db!.command({ collMod: this.models.events.collection.collectionName, index: { name: TTL_INDEX, expireAfterSeconds } });
    } catch (err) {
      this.logger.warn('could not change the events TTL; existing retention kept', { error: messageOf(err) });
    }
    return true;
  }
}
