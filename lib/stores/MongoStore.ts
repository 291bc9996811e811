// Stores reports in MongoDB through mongoose. The collections and their fields are
// documented in ./mongoSchemas.ts.
//
// Saving is idempotent by report id, as delivery requires: events are inserted with
// their report id as _id (a duplicate is skipped), and each group (issue or broken
// link) remembers its recently counted report ids, so a batch replayed after a crash,
// even one that came between the two writes, is neither stored nor counted twice.
//
// Nothing from a request reaches a query as an operator: values used in filters are
// coerced with String(), and keys inside stored request/error data are escaped
// (see ./escapeKeys.ts).
import mongoose, { type Connection, type Model } from 'mongoose';
import type { Report } from '../report/Report';
import type { Logger } from '../core/logger';
import { consoleLogger } from '../core/logger';
import type { AlertLedger, GroupOutcome, Store } from '../delivery/ports';
import { unescapeKeys } from './escapeKeys';
import { EventRetention } from './EventRetention';
import { messageOf } from '../core/errors';
import { MongoAlertLedger } from './MongoAlertLedger';
import { totalOccurrences } from '../report/occurrences';
import { brokenLinkUpdate, eventDoc, issueUpdate, type FreshGroup } from './groupUpdates';
import {
  rawCollection, tripwireModels, type BrokenLinkDoc, type CollectionNames, type EventDoc, type IssueDoc, type TripwireModels,
} from './mongoSchemas';

export interface MongoStoreOptions {
  /** A MongoDB URI: the store opens (and closes) a connection of its own. */
  uri?: string;
  /** The app's mongoose connection, reused as it is; the store never closes it. */
  connection?: Connection;
  collections?: Partial<CollectionNames>;
  /** How long events are kept; issues and broken links are kept until deleted. */
  retentionDays?: number;
  serverSelectionTimeoutMS?: number;
  logger?: Logger;
}

export const defaults = {
  collections: { events: 'tripwire_events', issues: 'tripwire_issues', brokenLinks: 'tripwire_broken_links' },
  retentionDays: 30,
  serverSelectionTimeoutMS: 5000,
  logger: consoleLogger as Logger,
};

export type Issue = Omit<IssueDoc, 'recentIds'>;
export type StoredEvent = EventDoc;
export type BrokenLink = Omit<BrokenLinkDoc, 'recentIds'>;

const MAX_LIMIT = 500;
const DUPLICATE_KEY = 11000;
const INDEX_RETRY_MS = 60_000;

interface GroupSpec<T extends { _id: string }> {
  kind: Report['kind'];
  model: Model<T>;
  /** Broken links have no resolve/regress cycle. */
  canRegress: boolean;
  update(group: FreshGroup, existing: T | undefined, now: Date): Record<string, unknown>;
}

interface ExistingGroup {
  _id: string;
  status?: string;
  recentIds?: string[];
  userAgents?: string[];
}

export class MongoStore implements Store {
  readonly connection: Connection;
  private readonly models: TripwireModels;
  private readonly logger: Logger;
  private readonly ownsConnection: boolean;
  private readonly uri: string | undefined;
  private readonly serverSelectionTimeoutMS: number;
  private readonly retention: EventRetention;
  private readonly ledgers: Record<Report['kind'], MongoAlertLedger>;
  private opening: Promise<void> | null = null;
  private opened = false;
  private indexes: Promise<void> | null = null;
  private indexRetryAt = 0;
  private closed = false;
  private closing: Promise<void> | null = null;

  constructor(options: MongoStoreOptions) {
    const settings = validate(options);
    this.logger = settings.logger;
    this.uri = settings.uri;
    this.serverSelectionTimeoutMS = settings.serverSelectionTimeoutMS;
    this.ownsConnection = !options.connection;
    if (options.connection) {
      this.connection = options.connection;
      this.opened = true;
    } else {
      // Commands fail at once while disconnected instead of queueing without bound:
      // delivery parks the batch in its outbox and retries.
      this.connection = mongoose.createConnection();
      this.connection.on('error', (err: unknown) => this.logger.warn('MongoDB connection error', { error: messageOf(err) }));
      this.opening = this.open(settings.uri as string);
    }
    this.models = tripwireModels(this.connection, settings.collections);
    this.retention = new EventRetention(this.models.events, settings.retentionDays, this.logger);
    this.ledgers = {
      error: new MongoAlertLedger(this.models.issues as unknown as Model<{ _id: string }>, () => this.connected()),
      'broken-link': new MongoAlertLedger(this.models.brokenLinks as unknown as Model<{ _id: string }>, () => this.connected()),
    };
  }

  async save(reports: Report[]): Promise<GroupOutcome[]> {
    if (reports.length === 0) return [];
    await this.connected();
    // Indexes first, once: creating a collection's index while inserting into it races on some servers.
    if (!this.indexes && Date.now() >= this.indexRetryAt) this.indexes = this.ensureIndexes();
    await this.indexes;
    const now = new Date();
    const errors = reports.filter((r) => r.kind !== 'broken-link');
    const links = reports.filter((r) => r.kind === 'broken-link');
    await this.insertEvents(errors);
    const issueOutcomes = await this.countGroups(this.issueSpec, errors, now);
    const linkOutcomes = await this.countGroups(this.linkSpec, links, now);
    return [...issueOutcomes, ...linkOutcomes];
  }

  alertLedger(kind: Report['kind']): AlertLedger {
    return this.ledgers[kind] ?? this.ledgers.error;
  }

  /** Issues, most recently seen first. */
  async listIssues({ status, limit = 50 }: { status?: IssueDoc['status']; limit?: number } = {}): Promise<Issue[]> {
    await this.connected();
    const filter = status === undefined ? {} : { status: String(status) as IssueDoc['status'] };
    const docs = await this.models.issues.find(filter, { recentIds: 0 }).sort({ lastSeen: -1 }).limit(clamp(limit)).lean();
    return docs.map((doc) => unescapeKeys(doc) as Issue);
  }

  async getIssue(fingerprint: string): Promise<Issue | null> {
    await this.connected();
    const doc = await this.models.issues.findOne({ _id: String(fingerprint) }, { recentIds: 0 }).lean();
    return doc ? (unescapeKeys(doc) as Issue) : null;
  }

  /** Occurrences of one issue, newest first. */
  async listEvents(fingerprint: string, { limit = 20 }: { limit?: number } = {}): Promise<StoredEvent[]> {
    await this.connected();
    const docs = await this.models.events.find({ fingerprint: String(fingerprint) }).sort({ timestamp: -1 }).limit(clamp(limit)).lean();
    return docs.map((doc) => unescapeKeys(doc) as StoredEvent);
  }

  /** Marks an issue resolved; its next occurrence reopens it as a regression. Resolves false when there is no such issue. */
  async resolve(fingerprint: string): Promise<boolean> {
    await this.connected();
    const result = await this.models.issues.updateOne(
      { _id: String(fingerprint) },
      { $set: { status: 'resolved', resolvedAt: new Date() } },
    );
    return result.matchedCount > 0;
  }

  /** Broken links, most often hit first. */
  async listBrokenLinks({ limit = 50 }: { limit?: number } = {}): Promise<BrokenLink[]> {
    await this.connected();
    const docs = await this.models.brokenLinks.find({}, { recentIds: 0 }).sort({ count: -1 }).limit(clamp(limit)).lean();
    return docs.map((doc) => unescapeKeys(doc) as BrokenLink);
  }

  /** Closes the connection only when the store opened it; the app's own connection stays open. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closed = true;
      this.retention.stop();
      if (!this.ownsConnection) return;
      await this.opening;
      await this.connection.close().catch((err: unknown) => this.logger.warn('closing the MongoDB connection failed', { error: messageOf(err) }));
    })();
    return this.closing;
  }

  private get issueSpec(): GroupSpec<IssueDoc> {
    return { kind: 'error', model: this.models.issues, canRegress: true, update: (group, _existing, now) => issueUpdate(group, now) };
  }

  private get linkSpec(): GroupSpec<BrokenLinkDoc> {
    return { kind: 'broken-link', model: this.models.brokenLinks, canRegress: false, update: brokenLinkUpdate };
  }

  private async open(uri: string): Promise<void> {
    try {
      await this.connection.openUri(uri, { bufferCommands: false, serverSelectionTimeoutMS: this.serverSelectionTimeoutMS });
      this.opened = true;
    } catch (err) {
      this.logger.warn('MongoDB is unreachable; reports wait in the outbox until it answers', { error: messageOf(err) });
    } finally {
      this.opening = null;
    }
  }

  /**
   * After a first successful connection the driver reconnects by itself; a connection
   * that never opened (server down at start) is opened again here, on demand.
   */
  private async connected(): Promise<void> {
    if (this.closed) throw new Error('MongoStore is closed');
    if (!this.opened && !this.opening && this.uri) this.opening = this.open(this.uri);
    if (this.opening) await this.opening;
    if (!this.opened) throw new Error('MongoDB is unreachable');
  }

  private async ensureIndexes(): Promise<void> {
    const attempts = [
      this.models.events.collection.createIndex({ fingerprint: 1, timestamp: -1 }),
      this.models.issues.collection.createIndex({ status: 1, lastSeen: -1 }),
      this.models.brokenLinks.collection.createIndex({ count: -1 }),
    ].map((p) => p.then(() => true, (err: unknown) => {
      this.logger.warn('could not create a tripwire index; will retry', { error: messageOf(err) });
      return false;
    }));
    const settled = [...await Promise.all(attempts), await this.retention.ensure()];
    // A failed attempt is forgotten so a later save tries again, but not on every batch.
    if (settled.includes(false)) {
      this.indexes = null;
      this.indexRetryAt = Date.now() + INDEX_RETRY_MS;
    }
  }

  /** Inserts one event per report; ids already stored are skipped, not an error. */
  private async insertEvents(reports: Report[]): Promise<void> {
    if (reports.length === 0) return;
    const docs = reports.map(eventDoc);
    try {
      await rawCollection(this.models.events).insertMany(docs, { ordered: false });
    } catch (err) {
      const writeErrors = writeErrorsOf(err);
      if (!writeErrors) throw err;
      const rejected = writeErrors.filter((e) => e.code !== DUPLICATE_KEY);
      // A document the server refuses (too large, invalid) would be refused on every
      // replay too; its occurrence is still counted on the issue below.
      if (rejected.length) this.logger.warn('some events were refused by MongoDB and not stored', { count: rejected.length, error: rejected[0].errmsg });
    }
  }

  /**
   * Counts a batch's reports on their groups. Reports already counted are filtered out
   * by the group's recentIds, and the upsert is guarded by the same list, so two
   * concurrent saves of one report count it once: the loser's guarded upsert collides
   * with the existing _id and is retried against fresh state.
   */
  private async countGroups<T extends { _id: string }>(spec: GroupSpec<T>, reports: Report[], now: Date): Promise<GroupOutcome[]> {
    const groups = groupByFingerprint(reports);
    if (groups.size === 0) return [];
    const outcomes = new Map<string, GroupOutcome>();
    for (const fingerprint of groups.keys()) {
      outcomes.set(fingerprint, { kind: spec.kind, fingerprint, added: 0, count: null, isNew: false, regressed: false });
    }
    let pending = [...groups.keys()];
    for (let attempt = 0; attempt < 2 && pending.length; attempt++) {
      pending = await this.countOnce(spec, groups, pending, outcomes, now);
    }
    const counted = await spec.model.find({ _id: { $in: [...groups.keys()] } }, { count: 1 }).lean() as unknown as Array<{ _id: string; count?: number }>;
    for (const doc of counted) {
      const outcome = outcomes.get(doc._id);
      if (outcome) outcome.count = typeof doc.count === 'number' ? doc.count : null;
    }
    return [...outcomes.values()];
  }

  /** One read-then-guarded-write pass; returns the fingerprints that collided and need another pass. */
  private async countOnce<T extends { _id: string }>(
    spec: GroupSpec<T>, groups: Map<string, Report[]>, fingerprints: string[], outcomes: Map<string, GroupOutcome>, now: Date,
  ): Promise<string[]> {
    const found = await spec.model.find({ _id: { $in: fingerprints } }, { recentIds: 1, status: 1, userAgents: 1 }).lean() as unknown as ExistingGroup[];
    const existing = new Map(found.map((doc) => [doc._id, doc]));
    const writes: Array<{ fingerprint: string; fresh: Report[] }> = [];
    for (const fingerprint of fingerprints) {
      const seen = new Set(existing.get(fingerprint)?.recentIds ?? []);
      const fresh = (groups.get(fingerprint) as Report[]).filter((r) => !seen.has(String(r.id)));
      if (fresh.length) writes.push({ fingerprint, fresh });
    }
    if (writes.length === 0) return [];

    if (spec.canRegress) {
      const resolved = writes.filter((w) => existing.get(w.fingerprint)?.status === 'resolved');
      await Promise.all(resolved.map(async ({ fingerprint }) => {
        // Conditional, so of several instances seeing the same recurrence only one reports it;
        // it also takes the alert claim, as a new issue's insert does.
        const result = await spec.model.collection.updateOne(
          { _id: fingerprint, status: 'resolved' } as never,
          { $set: { status: 'open', regressedAt: now, 'alert.lastAt': now, 'alert.pending': 0 } },
        );
        if (result.modifiedCount === 1) (outcomes.get(fingerprint) as GroupOutcome).regressed = true;
      }));
    }

    const operations = writes.map((group) => ({
      updateOne: {
        filter: { _id: group.fingerprint, recentIds: { $nin: group.fresh.map((r) => String(r.id)) } },
        update: spec.update(group, existing.get(group.fingerprint) as T | undefined, now),
        upsert: true,
      },
    }));
    let upserted: Record<number, unknown> = {};
    const collided = new Set<number>();
    try {
      const result = await spec.model.collection.bulkWrite(operations as never[], { ordered: false });
      upserted = result.upsertedIds ?? {};
    } catch (err) {
      const writeErrors = writeErrorsOf(err);
      if (!writeErrors || writeErrors.some((e) => e.code !== DUPLICATE_KEY)) throw err;
      for (const e of writeErrors) collided.add(e.index);
      upserted = (err as { result?: { upsertedIds?: Record<number, unknown> } }).result?.upsertedIds ?? {};
    }
    writes.forEach((group, index) => {
      if (collided.has(index)) return;
      const outcome = outcomes.get(group.fingerprint) as GroupOutcome;
      outcome.added += totalOccurrences(group.fresh);
      if (index in upserted) outcome.isNew = true;
    });
    return writes.filter((_, index) => collided.has(index)).map((w) => w.fingerprint);
  }
}

function validate(options: MongoStoreOptions) {
  if (options === null || typeof options !== 'object') throw new TypeError('MongoStore: options must be an object with `uri` or `connection`');
  const { uri, connection } = options;
  if ((uri === undefined) === (connection === undefined)) throw new TypeError('MongoStore: give exactly one of `uri` or `connection`');
  if (uri !== undefined && (typeof uri !== 'string' || !/^mongodb(\+srv)?:\/\//.test(uri))) {
    throw new TypeError('MongoStore: `uri` must be a mongodb:// or mongodb+srv:// URI');
  }
  if (connection !== undefined && (connection === null || typeof (connection as Connection).model !== 'function')) {
    throw new TypeError('MongoStore: `connection` must be a mongoose Connection');
  }
  const collections = { ...defaults.collections, ...options.collections };
  for (const [key, name] of Object.entries(collections)) {
    if (typeof name !== 'string' || name.length === 0 || name.includes('$')) throw new TypeError(`MongoStore: \`collections.${key}\` must be a non-empty collection name`);
  }
  if (new Set(Object.values(collections)).size !== 3) throw new TypeError('MongoStore: `collections` names must be distinct');
  const retentionDays = options.retentionDays ?? defaults.retentionDays;
  if (typeof retentionDays !== 'number' || !Number.isFinite(retentionDays) || retentionDays <= 0) {
    throw new RangeError('MongoStore: `retentionDays` must be a positive number');
  }
  const serverSelectionTimeoutMS = options.serverSelectionTimeoutMS ?? defaults.serverSelectionTimeoutMS;
  if (!Number.isInteger(serverSelectionTimeoutMS) || serverSelectionTimeoutMS <= 0) {
    throw new RangeError('MongoStore: `serverSelectionTimeoutMS` must be a positive integer');
  }
  const logger = options.logger ?? defaults.logger;
  if (!logger || typeof logger.warn !== 'function') throw new TypeError('MongoStore: `logger` must have info, warn and error methods');
  return { uri, collections, retentionDays, serverSelectionTimeoutMS, logger };
}

function groupByFingerprint(reports: Report[]): Map<string, Report[]> {
  const groups = new Map<string, Report[]>();
  const ids = new Set<string>();
  for (const report of reports) {
    const id = String(report.id);
    // The same report twice in one batch is one occurrence.
    if (ids.has(id)) continue;
    ids.add(id);
    const fingerprint = String(report.fingerprint);
    const group = groups.get(fingerprint);
    if (group) group.push(report);
    else groups.set(fingerprint, [report]);
  }
  return groups;
}

interface WriteError {
  code: number;
  index: number;
  errmsg?: string;
}

/** The per-document errors of a bulk write, or null when the failure was not per document. */
function writeErrorsOf(err: unknown): WriteError[] | null {
  const raw = (err as { writeErrors?: unknown } | null)?.writeErrors;
  const list = Array.isArray(raw) ? raw : raw ? [raw] : null;
  if (!list || list.length === 0) return null;
  return list.map((e: { code?: unknown; index?: unknown; errmsg?: unknown; err?: { code?: unknown; index?: unknown; errmsg?: unknown } }) => ({
    code: Number(e.code ?? e.err?.code),
    index: Number(e.index ?? e.err?.index),
    errmsg: String(e.errmsg ?? e.err?.errmsg ?? ''),
  }));
}

function clamp(limit: number): number {
  const n = Math.floor(Number(limit));
  return Number.isFinite(n) ? Math.min(MAX_LIMIT, Math.max(1, n)) : 1;
}
