import type { Model } from 'mongoose';
import type { Logger } from '../core/logger';
import type { EventDoc } from './mongoSchemas';
import { codeOf, messageOf } from '../core/errors';

const PRUNE_EVERY_MS = 60 * 60_000;
// Codes a server gives when it cannot honour expireAfterSeconds (as opposed to being unreachable).
const UNSUPPORTED_CODES = new Set([2, 9, 59, 67, 115, 238, 303]);
const OPTIONS_CONFLICT_CODES = new Set([85, 86]);

/**
 * Keeps events for `retentionDays`. A TTL index lets the server expire them; a server
 * that refuses TTL indexes gets a periodic prune instead. Neither path ever throws into
 * a save: failures are logged and the probe is retried on a later save.
 */
export class EventRetention {
  private pruneTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly events: Model<EventDoc>,
    private readonly retentionDays: number,
    private readonly logger: Logger,
  ) {}

  /** Resolves true once retention is settled (by TTL or by pruning); false means try again later. */
  async ensure(): Promise<boolean> {
    const expireAfterSeconds = Math.round(this.retentionDays * 86_400);
    try {
      await this.events.collection.createIndex({ timestamp: 1 }, { expireAfterSeconds, name: 'timestamp_ttl' });
      return true;
    } catch (err) {
      const code = codeOf(err);
      if (code != null && OPTIONS_CONFLICT_CODES.has(code)) return this.changeExpiry(expireAfterSeconds);
      if (code != null && UNSUPPORTED_CODES.has(code) || /not supported|unsupported|expireAfterSeconds/i.test(messageOf(err))) {
        this.logger.warn('TTL indexes unsupported by this server; pruning old events periodically instead', { error: messageOf(err) });
        this.startPruning();
        return true;
      }
      this.logger.warn('could not create the events TTL index; will retry', { error: messageOf(err) });
      return false;
    }
  }

  stop(): void {
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    this.pruneTimer = null;
  }

  /** A changed retentionDays meets the index created with the old one: update it in place. */
  private async changeExpiry(expireAfterSeconds: number): Promise<boolean> {
    try {
      await this.events.db.db!.command({ collMod: this.events.collection.collectionName, index: { name: 'timestamp_ttl', expireAfterSeconds } });
    } catch (err) {
      this.logger.warn('could not change the events TTL; existing retention kept', { error: messageOf(err) });
    }
    return true;
  }

  private startPruning(): void {
    if (this.pruneTimer) return;
    const prune = () => {
      const cutoff = new Date(Date.now() - this.retentionDays * 86_400_000);
      this.events.collection.deleteMany({ timestamp: { $lt: cutoff } }).catch((err: unknown) => {
        this.logger.warn('pruning old events failed; will retry', { error: messageOf(err) });
      });
    };
    prune();
    this.pruneTimer = setInterval(prune, PRUNE_EVERY_MS);
    this.pruneTimer.unref();
  }
}

