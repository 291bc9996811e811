// A bounded in-process store: the Store delivery saves into, the IssueStore the dashboard
// reads and triages, and an alert ledger, with nothing to install. What it keeps lives
// and dies with the process (MongoStore is the store for production); its caps
// (./memoryOptions.ts) keep memory bounded whatever the app is sent, dropping the group
// seen least recently first. It passes the same contract spec as MongoStore.
import { randomBytes } from 'node:crypto';
import type { ActivityEntry, EventPage, FilterValues, HistogramBucket, IssueBreakdowns, IssuePage, IssueQuery, IssueStore, IssueSummary, SnoozeOptions, StatusChange, StoredEventView } from '../../contracts/issueStore';
import type { AlertLedger, GroupOutcome, IssueStatus, SavePolicy, Store } from '../../contracts/store';
import type { Report, ReportKind } from '../../report/Report';
import type { Clock } from '../../core/clock';
import { DEFAULT_CLOCK_SKEW_MS } from '../rules/groupFacts';
import { activityLimit, snoozeIsOver, statusChange } from '../rules/triage';
import { breakdownDays, sumBreakdowns } from '../rules/breakdownCounts';
import { bySortKey, checkKind, eventPaging, histogramBuckets, issueListing, MAX_FILTER_VALUES } from '../rules/issueQuery';
import { memoryStoreSettings, type MemoryStoreOptions, type MemoryStoreSettings } from './memoryOptions';
import { MemoryGroups, record, summaryOf, type MemoryGroup } from './memoryGroups';
import { MemoryEvents } from './memoryEvents';
import { MemoryStoreLedger } from './memoryAlerts';
import { saveReports, type MemoryTables } from './memoryWrites';

export type { MemoryStoreOptions } from './memoryOptions';

const PRUNE_EVERY_MS = 60_000;
const DAY_MS = 86_400_000;

export class MemoryStore implements Store, IssueStore {
  private readonly settings: MemoryStoreSettings;
  private readonly clock: Clock;
  private readonly tables: MemoryTables;
  private readonly ledgers: Record<ReportKind, MemoryStoreLedger>;
  private nextPruneAt = 0;

  constructor(options?: MemoryStoreOptions) {
    this.settings = memoryStoreSettings(options);
    this.clock = this.settings.clock;
    const groups = new MemoryGroups(this.settings.maxIssues);
    // The visitors key lives and dies with the process, as the visitors it counts do.
    this.tables = { groups, events: new MemoryEvents(this.settings), visitorKey: randomBytes(32), budget: new Map() };
    this.ledgers = { error: new MemoryStoreLedger(groups, 'error'), 'broken-link': new MemoryStoreLedger(groups, 'broken-link') };
  }

  async save(reports: Report[], policy?: SavePolicy): Promise<GroupOutcome[]> {
    this.pruneIfDue(this.now());
    const now = policy?.now instanceof Date && !Number.isNaN(policy.now.getTime()) ? policy.now : this.now();
    return saveReports(this.tables, reports, {
      now, maxClockSkewMs: policy?.maxClockSkewMs ?? DEFAULT_CLOCK_SKEW_MS, maxNewGroupsPerHour: policy?.maxNewGroupsPerHour ?? {} as SavePolicy['maxNewGroupsPerHour'],
    });
  }

  alertLedger(kind: ReportKind): AlertLedger {
    return this.ledgers[kind] ?? this.ledgers.error;
  }

  async listIssues(query: IssueQuery = {}): Promise<IssuePage> {
    const listing = issueListing(query ?? {});
    const now = this.now();
    const q = listing.q.toLowerCase();
    const matching: MemoryGroup[] = [];
    for (const kind of listing.kinds) {
      for (const group of this.tables.groups.of(kind)) {
        if (listing.environment !== null && !group.environments.includes(listing.environment)) continue;
        if (listing.release !== null && !group.releases.includes(listing.release)) continue;
        if (q && !textOf(group).some((text) => text.toLowerCase().includes(q))) continue;
        const status = snoozeIsOver(group, now) ? 'open' : group.status;
        if (listing.status === 'all' || status === listing.status) matching.push(group);
      }
    }
    // Sorted as they are, copied only for the page.
    matching.sort(bySortKey(listing.sort));
    const slice = matching.slice(listing.offset, listing.offset + listing.perPage + 1).map((group) => summaryOf(group, now));
    return { issues: slice.slice(0, listing.perPage), page: listing.page, perPage: listing.perPage, hasMore: slice.length > listing.perPage };
  }

  async getIssue(kind: ReportKind, fingerprint: string): Promise<IssueSummary | null> {
    const group = this.group(kind, fingerprint);
    return group ? summaryOf(group, this.now()) : null;
  }

  async setStatus(kind: ReportKind, fingerprint: string, status: IssueStatus, snooze?: SnoozeOptions, change?: StatusChange): Promise<IssueSummary | null> {
    checkKind(kind);
    const group = this.group(kind, fingerprint);
    const now = this.now();
    const { fields, entry } = statusChange(status, snooze, change, group ?? { count: 0, releases: [], lastRelease: null }, now);
    if (!group) return null;
    Object.assign(group, fields);
    record(group, [entry]);
    return summaryOf(group, now);
  }

  async activity(kind: ReportKind, fingerprint: string, options: { limit?: number } = {}): Promise<ActivityEntry[]> {
    const group = this.group(kind, fingerprint);
    return group ? structuredClone(group.activity.slice(-activityLimit(options?.limit)).reverse()) : [];
  }

  async breakdowns(fingerprint: string, options: { days?: number; now?: Date } = {}): Promise<IssueBreakdowns> {
    const group = this.group('error', fingerprint) ?? this.group('broken-link', fingerprint);
    return sumBreakdowns(group ? [...group.slots.values()] : [], breakdownDays(options?.days), options?.now ?? this.now());
  }

  async filterValues(options: { kind?: ReportKind } = {}): Promise<FilterValues> {
    const kinds: ReportKind[] = options?.kind ? [checkKind(options.kind)] : ['error', 'broken-link'];
    const releases = new Map<string, number>();
    const environments = new Map<string, number>();
    for (const kind of kinds) {
      for (const group of this.tables.groups.of(kind)) {
        const at = group.lastSeen.getTime();
        for (const release of group.releases) releases.set(release, Math.max(releases.get(release) ?? 0, at));
        for (const environment of group.environments) environments.set(environment, Math.max(environments.get(environment) ?? 0, at));
      }
    }
    const recentFirst = (values: Map<string, number>) => [...values].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, MAX_FILTER_VALUES).map(([v]) => v);
    return { releases: recentFirst(releases), environments: recentFirst(environments) };
  }

  async listEvents(fingerprint: string, options: { page?: number; perPage?: number } = {}): Promise<EventPage> {
    const { page, perPage, offset } = eventPaging(options);
    const slice = this.tables.events.list(String(fingerprint), offset, perPage + 1);
    return { events: slice.slice(0, perPage), page, perPage, hasMore: slice.length > perPage };
  }

  async countEvents(fingerprint: string, options: { max: number }): Promise<number> {
    return Math.min(this.tables.events.count(String(fingerprint)), Math.max(0, Math.floor(options.max)));
  }

  async getEvent(id: string): Promise<StoredEventView | null> {
    return this.tables.events.get(String(id));
  }

  async findEvents(query: { requestId: string }): Promise<StoredEventView[]> {
    const requestId = String(query?.requestId ?? '');
    return requestId === '' ? [] : this.tables.events.findByRequestId(requestId);
  }

  async histogram(fingerprint: string, options: { by: 'hour' | 'day'; now?: Date }): Promise<HistogramBucket[]> {
    return (await this.histograms([fingerprint], options)).get(String(fingerprint)) as HistogramBucket[];
  }

  async histograms(fingerprints: string[], options: { by: 'hour' | 'day'; now?: Date }): Promise<Map<string, HistogramBucket[]>> {
    const bucket = histogramBuckets(options?.by);
    if (!Array.isArray(fingerprints)) throw new TypeError('histograms: `fingerprints` must be an array of strings');
    const now = options?.now ?? this.now();
    const current = Math.floor(now.getTime() / bucket.ms);
    const answers = new Map<string, HistogramBucket[]>();
    for (const fingerprint of fingerprints.map(String)) {
      if (answers.has(fingerprint)) continue;
      const group = this.group('error', fingerprint) ?? this.group('broken-link', fingerprint);
      const counts = options.by === 'hour' ? group?.hours : group?.days;
      answers.set(fingerprint, Array.from({ length: bucket.count }, (_, i) => {
        const at = current - bucket.count + 1 + i;
        return { start: new Date(at * bucket.ms), count: counts?.get(at) ?? 0 };
      }));
    }
    return answers;
  }

  /** Removes the groups not seen for `retentionDays`, with their events, and older events; saves do it every minute. */
  prune(): void {
    this.pruneNow(this.now());
  }

  async close(): Promise<void> {}

  private pruneIfDue(now: Date): void {
    if (now.getTime() < this.nextPruneAt) return;
    this.nextPruneAt = now.getTime() + PRUNE_EVERY_MS;
    this.pruneNow(now);
  }

  private pruneNow(now: Date): void {
    const cutoff = new Date(now.getTime() - this.settings.retentionDays * DAY_MS);
    for (const gone of this.tables.groups.prune(cutoff)) this.tables.events.removeIssue(gone.fingerprint);
    this.tables.events.prune(cutoff);
  }

  private group(kind: ReportKind, fingerprint: string): MemoryGroup | undefined {
    return this.tables.groups.get(checkKind(kind), String(fingerprint));
  }

  private now(): Date {
    return new Date(this.clock.now());
  }
}

function textOf(group: MemoryGroup): string[] {
  return [group.title, group.type, group.message, group.culprit, group.url, group.referer].filter((t): t is string => typeof t === 'string');
}
