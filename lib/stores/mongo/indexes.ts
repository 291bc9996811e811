import type { Logger } from '../../core/logger';
import type { Clock } from '../../core/clock';
import type { Collection } from 'mongoose';
import { messageOf } from '../../core/errors';
import type { EventRetention } from './retention';
import type { TripwireModels } from './schemas';
import { isIndexConflict } from './storeErrors';

const RETRY_MS = 60_000;

// Every listing sorts on one of these keys behind an equality on status (the issues page
// always filters by status: 'all' is sent as $in over every status, which the server
// answers from the same index with a sort merge), or behind an environment or release.
const GROUP_INDEXES: Array<Record<string, 1 | -1>> = [
  { status: 1, lastSeen: -1 }, { status: 1, firstSeen: -1 }, { status: 1, count: -1 },
  { environments: 1, lastSeen: -1 }, { releases: 1, lastSeen: -1 },
  // Retention deletes groups by lastSeen alone; filter values read the most recent groups.
  { lastSeen: -1 },
];

/**
 * Creates the indexes once, before the first write (creating a collection's index
 * while inserting into it races on some servers). A failure is logged and retried on a
 * later save, but not on every batch; an index already there that conflicts with one of
 * ours is logged once and left alone, since no retry can build ours until it is dropped.
 */
export class Indexes {
  private done: Promise<void> | null = null;
  private retryAt = 0;

  constructor(
    private readonly models: TripwireModels,
    private readonly retention: EventRetention,
    private readonly logger: Logger,
    private readonly clock: Clock,
  ) {}

  ensure(): Promise<void> {
    if (!this.done && this.clock.now() >= this.retryAt) this.done = this.create();
    return this.done ?? Promise.resolve();
  }

  private async create(): Promise<void> {
    const { events, issues, brokenLinks } = this.models;
    // While MongoDB is down every step fails alike: one warning per attempt, not one per index.
    const failures: unknown[] = [];
    const settle = (p: Promise<unknown>) => p.then(() => true, (err: unknown) => {
      failures.push(err);
      return false;
    });
    const build = (collection: Collection, keys: Record<string, 1 | -1>, options = {}) => settle(collection.createIndex(keys, options).catch((err: unknown) => {
      if (!isIndexConflict(err)) throw err;
      this.logger.warn('a tripwire index conflicts with an index already on the collection; drop that one (the error names it) and the next start builds ours', {
        collection: collection.collectionName, index: keys, error: messageOf(err),
      });
    }));
    const linkBuilds = GROUP_INDEXES.map((keys) => build(brokenLinks.collection, keys));
    const attempts = [
      build(events.collection, { fingerprint: 1, timestamp: -1 }),
      build(events.collection, { 'request.requestId': 1 }, { sparse: true }),
      ...GROUP_INDEXES.map((keys) => build(issues.collection, keys)),
      ...linkBuilds,
      // Broken links stored before they had a status are open. Only once the builds on
      // that collection are done, an update racing them being the same race as an insert.
      Promise.all(linkBuilds).then(() => settle(brokenLinks.collection.updateMany({ status: { $exists: false } }, { $set: { status: 'open' } }))),
    ];
    const settled = [...await Promise.all(attempts), await this.retention.ensureIndex()];
    if (failures.length) {
      this.logger.warn('could not set up the tripwire indexes; will retry in a minute', { failed: failures.length, of: attempts.length, error: messageOf(failures[0]) });
    }
    if (settled.includes(false)) {
      this.done = null;
      this.retryAt = this.clock.now() + RETRY_MS;
    }
  }
}
