// Stores reports in MongoDB through mongoose: the Store delivery saves into and the
// IssueStore the dashboard (or an app's own tooling) reads and triages. Each job has its
// own module here: connection.ts (lifecycle, idle close), writePath.ts (save),
// queries.ts (reads), status.ts (triage lifecycle), alertState.ts (alert throttle state),
// retention.ts (TTL and prune), indexes.ts, schemas.ts (collections and fields), escapeKeys.ts,
// eventWrites.ts with repairReport.ts and storeErrors.ts (what MongoDB refuses), storeMeta.ts
// (visitors key, new-group budget). What every store decides alike is in ../rules/.
import type { Connection, mongo } from 'mongoose';
import type { Report, ReportKind } from '../../report/Report';
import type { ActivityEntry, EventPage, FilterValues, HistogramBucket, IssueBreakdowns, IssuePage, IssueQuery, IssueStore, IssueSummary, SnoozeOptions, StatusChange, StoredEventView } from '../../contracts/issueStore';
import type { AlertLedger, GroupOutcome, IssueStatus, SavePolicy, Store } from '../../contracts/store';
import type { Clock } from '../../core/clock';
import { DEFAULT_CLOCK_SKEW_MS } from '../rules/groupFacts';
import { ACTIVITY_PER_ISSUE, statusChange } from '../rules/triage';
import { checkKind } from '../rules/issueQuery';
import { StoreMeta } from './storeMeta';
import { StoreConnection } from './connection';
import { Indexes } from './indexes';
import { EventRetention } from './retention';
import { MongoAlertLedger } from './alertState';
import { WritePath } from './writePath';
import * as queries from './queries';
import { mongoStoreSettings, type MongoStoreOptions } from './mongoStoreOptions';
import { rawCollection, tripwireModels, type GroupDoc, type TripwireModels } from './schemas';

export type { MongoStoreOptions } from './mongoStoreOptions';

export class MongoStore implements Store, IssueStore {
  private readonly link: StoreConnection;
  private readonly models: TripwireModels;
  private readonly clock: Clock;
  private readonly retention: EventRetention;
  private readonly indexes: Indexes;
  private readonly writes: WritePath;
  private readonly collections: queries.QueryCollections;
  private readonly ledgers: Record<ReportKind, MongoAlertLedger>;
  private closing: Promise<void> | null = null;

  constructor(options: MongoStoreOptions) {
    const settings = mongoStoreSettings(options);
    this.clock = settings.clock;
    this.link = new StoreConnection(settings);
    this.models = tripwireModels(this.link.connection, settings.collections);
    const meta = new StoreMeta(rawCollection(this.models.meta));
    this.retention = new EventRetention(this.models, meta, settings.retentionDays, settings.logger, this.clock);
    this.indexes = new Indexes(this.models, this.retention, settings.logger, this.clock);
    this.collections = {
      events: rawCollection(this.models.events),
      groups: { error: asGroups(rawCollection(this.models.issues)), 'broken-link': asGroups(rawCollection(this.models.brokenLinks)) },
    };
    this.writes = new WritePath(this.collections, meta, settings.logger);
    const use = <T>(work: () => Promise<T>) => this.link.use(work);
    this.ledgers = {
      error: new MongoAlertLedger(this.models.issues as never, use),
      'broken-link': new MongoAlertLedger(this.models.brokenLinks as never, use),
    };
  }

  /** The mongoose connection (the app's, or the store's own: closed while idle, reopened on use). */
  get connection(): Connection {
    return this.link.connection;
  }

  /**
   * Saves a batch (idempotent by report id). A report MongoDB refuses is repaired and
   * stored; only one still refused fails the save, with a PermanentStoreError naming it.
   */
  save(reports: Report[], policy?: SavePolicy): Promise<GroupOutcome[]> {
    if (reports.length === 0) return Promise.resolve([]);
    return this.link.use(async () => {
      await this.indexes.ensure();
      const now = policy?.now instanceof Date && !Number.isNaN(policy.now.getTime()) ? policy.now : this.now();
      const outcomes = await this.writes.save(reports, {
        now, maxClockSkewMs: policy?.maxClockSkewMs ?? DEFAULT_CLOCK_SKEW_MS, maxNewGroupsPerHour: policy?.maxNewGroupsPerHour ?? {} as SavePolicy['maxNewGroupsPerHour'],
      });
      await this.retention.pruneIfDue(now);
      return outcomes;
    });
  }

  alertLedger(kind: ReportKind): AlertLedger {
    return this.ledgers[kind] ?? this.ledgers.error;
  }

  /** Issues and broken links, newest last seen first unless `sort` says otherwise; open ones unless `status` says otherwise. */
  listIssues(query: IssueQuery = {}): Promise<IssuePage> {
    return this.link.use(() => queries.listIssues(this.collections, query ?? {}, this.now()));
  }

  getIssue(kind: ReportKind, fingerprint: string): Promise<IssueSummary | null> {
    return this.link.use(() => queries.getIssue(this.collections, kind, fingerprint, this.now()));
  }

  /**
   * Sets a group's triage status, recording who did it (`change`) in its activity;
   * resolves the group as it now is, or null when there is no such group. A snooze
   * needs `until` or `untilCount` (occurrences from now on); a resolve records `resolvedIn`.
   */
  setStatus(kind: ReportKind, fingerprint: string, status: IssueStatus, snooze?: SnoozeOptions, change?: StatusChange): Promise<IssueSummary | null> {
    return this.link.use(async () => {
      const groups = this.collections.groups[checkKind(kind)];
      const _id = String(fingerprint);
      const current = await groups.findOne({ _id }, { projection: { count: 1, releases: 1, lastRelease: 1 } });
      const now = this.now();
      const { fields, entry } = statusChange(status, snooze, change, {
        count: current?.count ?? 0, releases: current?.releases ?? [], lastRelease: current?.lastRelease ?? null,
      }, now);
      if (!current) return null;
      await groups.updateOne({ _id }, { $set: fields, $push: { activity: { $each: [entry], $slice: -ACTIVITY_PER_ISSUE } } });
      return queries.getIssue(this.collections, kind, _id, now);
    });
  }

  activity(kind: ReportKind, fingerprint: string, options: { limit?: number } = {}): Promise<ActivityEntry[]> {
    return this.link.use(() => queries.activity(this.collections, kind, fingerprint, options?.limit));
  }

  breakdowns(fingerprint: string, options: { days?: number; now?: Date } = {}): Promise<IssueBreakdowns> {
    return this.link.use(() => queries.breakdowns(this.collections, fingerprint, options ?? {}, this.now()));
  }

  filterValues(options: { kind?: ReportKind } = {}): Promise<FilterValues> {
    return this.link.use(() => queries.filterValues(this.collections, options?.kind));
  }

  /** Events of one issue, newest first. */
  listEvents(fingerprint: string, page: { page?: number; perPage?: number } = {}): Promise<EventPage> {
    return this.link.use(() => queries.listEvents(this.collections, fingerprint, page ?? {}));
  }

  countEvents(fingerprint: string, options: { max: number }): Promise<number> {
    return this.link.use(() => queries.countEvents(this.collections, fingerprint, options.max));
  }

  getEvent(id: string): Promise<StoredEventView | null> {
    return this.link.use(() => queries.getEvent(this.collections, id));
  }

  findEvents(query: { requestId: string }): Promise<StoredEventView[]> {
    return this.link.use(() => queries.findEvents(this.collections, query));
  }

  histogram(fingerprint: string, options: { by: 'hour' | 'day'; now?: Date }): Promise<HistogramBucket[]> {
    return this.link.use(() => queries.histogram(this.collections, fingerprint, options?.by, options?.now ?? this.now()));
  }

  histograms(fingerprints: string[], options: { by: 'hour' | 'day'; now?: Date }): Promise<Map<string, HistogramBucket[]>> {
    return this.link.use(() => queries.histograms(this.collections, fingerprints, options?.by, options?.now ?? this.now()));
  }

  /** Deletes the events and groups past `retentionDays` now (saves also do it hourly, behind the TTL index); resolves how many events went. */
  prune(): Promise<number> {
    return this.link.use(() => this.retention.prune());
  }

  /** Closes the connection only when the store opened it; the app's own connection stays open. */
  close(): Promise<void> {
    this.closing ??= this.link.close();
    return this.closing;
  }

  private now(): Date {
    return new Date(this.clock.now());
  }
}

function asGroups<T extends GroupDoc>(collection: mongo.Collection<T>): mongo.Collection<GroupDoc> {
  return collection as unknown as mongo.Collection<GroupDoc>;
}
