// An in-memory Store + IssueStore for specs (delivery, dashboard) that need a store but
// not MongoDB. It passes the same contract spec as MongoStore (spec/stores/storeContract.ts),
// so what a spec learns from it holds for the real one.
import type { GroupOutcome, IssueStatus, Store } from '../../lib/ports';
import type {
  EventPage, HistogramBucket, IssuePage, IssueQuery, IssueStore, IssueSummary, SnoozeOptions, StoredEventView,
} from '../../lib/ports';
import type { Report, ReportKind } from '../../lib/report/Report';
import { realClock, type Clock } from '../../lib/core/clock';
import { groupKey } from '../../lib/core/groupKey';
import { occurrencesOf } from '../../lib/report/occurrences';
import { culprit, timestampOf, userKey } from '../../lib/stores/mongo/documents';
import { snoozeIsOver, statusChange } from '../../lib/stores/mongo/status';

interface Group extends IssueSummary {
  counted: Set<string>;
  userKeys: Set<string>;
}

const STATUSES: IssueStatus[] = ['open', 'resolved', 'ignored', 'snoozed'];
const BUCKETS = { hour: { ms: 3_600_000, count: 24 }, day: { ms: 86_400_000, count: 14 } } as const;

export class MemoryStore implements Store, IssueStore {
  readonly groups = new Map<string, Group>();
  readonly events = new Map<string, StoredEventView>();
  saves = 0;

  constructor(private readonly clock: Clock = realClock) {}

  async save(reports: Report[]): Promise<GroupOutcome[]> {
    this.saves++;
    const now = new Date(this.clock.now());
    const outcomes = new Map<string, GroupOutcome>();
    for (const report of reports) {
      const key = groupKey(report.kind, String(report.fingerprint));
      const group = this.groups.get(key);
      let outcome = outcomes.get(key);
      if (!outcome) {
        outcome = { kind: report.kind, fingerprint: String(report.fingerprint), added: 0, count: null, isNew: false, regressed: false };
        outcomes.set(key, outcome);
      }
      if (report.kind !== 'broken-link' && !this.events.has(String(report.id))) this.events.set(String(report.id), eventOf(report));
      if (group?.counted.has(String(report.id))) continue;
      const counted = group ?? this.create(key, report, outcome);
      if (counted.status === 'resolved') {
        Object.assign(counted, { status: 'open', regressedAt: now });
        outcome.regressed = true;
      }
      this.count(counted, report);
      outcome.added += occurrencesOf(report);
    }
    for (const [key, outcome] of outcomes) {
      const group = this.groups.get(key) as Group;
      if (snoozeIsOver({ ...group, _id: group.fingerprint }, now)) Object.assign(group, { status: 'open', snoozedUntil: null, snoozedUntilCount: null });
      outcome.count = group.count;
      outcome.status = group.status;
    }
    return [...outcomes.values()];
  }

  async listIssues(query: IssueQuery = {}): Promise<IssuePage> {
    const { status = 'open', kind, sort = 'lastSeen', environment, release } = query;
    if (status !== 'all' && !STATUSES.includes(status)) throw new RangeError('listIssues: `status`');
    const perPage = Math.min(500, Math.max(1, Math.floor(query.perPage ?? 50)));
    const page = Math.max(1, Math.floor(query.page ?? 1));
    const q = (query.q ?? '').trim().toLowerCase();
    this.wakeExpired();
    const matching = [...this.groups.values()].filter((g) => (status === 'all' || g.status === status)
      && (!kind || g.kind === kind)
      && (!environment || g.environments.includes(environment))
      && (!release || g.releases.includes(release))
      && (!q || textOf(g).some((text) => text.toLowerCase().includes(q))));
    const value = (g: IssueSummary) => (sort === 'count' ? g.count : g[sort].getTime());
    matching.sort((a, b) => value(b) - value(a) || (a.fingerprint < b.fingerprint ? -1 : 1));
    const slice = matching.slice((page - 1) * perPage, page * perPage + 1);
    return { issues: slice.slice(0, perPage).map(view), page, perPage, hasMore: slice.length > perPage };
  }

  async getIssue(kind: ReportKind, fingerprint: string): Promise<IssueSummary | null> {
    this.wakeExpired();
    const group = this.groups.get(groupKey(kind, String(fingerprint)));
    return group ? view(group) : null;
  }

  async setStatus(kind: ReportKind, fingerprint: string, status: IssueStatus, snooze?: SnoozeOptions): Promise<IssueSummary | null> {
    const group = this.groups.get(groupKey(kind, String(fingerprint)));
    if (!group) return null;
    Object.assign(group, statusChange(status, snooze, group.count, new Date(this.clock.now())));
    return view(group);
  }

  async listEvents(fingerprint: string, { page = 1, perPage = 20 }: { page?: number; perPage?: number } = {}): Promise<EventPage> {
    const all = [...this.events.values()].filter((e) => e.fingerprint === String(fingerprint))
      .sort((a, b) => b.timestamp.getTime() - a.timestamp.getTime() || (a.id < b.id ? 1 : -1));
    const slice = all.slice((page - 1) * perPage, page * perPage + 1);
    return { events: slice.slice(0, perPage), page, perPage, hasMore: slice.length > perPage };
  }

  async getEvent(id: string): Promise<StoredEventView | null> {
    return this.events.get(String(id)) ?? null;
  }

  async findEvents({ requestId }: { requestId: string }): Promise<StoredEventView[]> {
    return [...this.events.values()].filter((e) => requestId && (e.request as { requestId?: unknown } | null)?.requestId === requestId)
      .sort((a, b) => b.timestamp.getTime() - a.timestamp.getTime());
  }

  async histogram(fingerprint: string, { by, now = new Date(this.clock.now()) }: { by: 'hour' | 'day'; now?: Date }): Promise<HistogramBucket[]> {
    const { ms, count } = BUCKETS[by];
    const start = Math.floor(now.getTime() / ms) * ms - (count - 1) * ms;
    const buckets = Array.from({ length: count }, (_, i) => ({ start: new Date(start + i * ms), count: 0 }));
    for (const event of this.events.values()) {
      const index = Math.floor((event.timestamp.getTime() - start) / ms);
      if (event.fingerprint === fingerprint && index >= 0 && index < count) buckets[index].count += event.occurrences;
    }
    return buckets;
  }

  async histograms(fingerprints: string[], options: { by: 'hour' | 'day'; now?: Date }): Promise<Map<string, HistogramBucket[]>> {
    const answers = new Map<string, HistogramBucket[]>();
    for (const f of fingerprints.map(String)) if (!answers.has(f)) answers.set(f, await this.histogram(f, options));
    return answers;
  }

  private create(key: string, report: Report, outcome: GroupOutcome): Group {
    const link = report.kind === 'broken-link' ? report.brokenLink : null;
    const group: Group = {
      kind: report.kind, fingerprint: String(report.fingerprint), title: report.title,
      type: link ? null : report.error?.type ?? 'Error', message: link ? null : report.error?.message ?? report.title,
      culprit: link ? null : culprit(report.error?.frames ?? []),
      ...(link ? { url: link.url, referer: link.referer, internal: link.internal, userAgents: [] } : {}),
      count: 0, users: 0, firstSeen: timestampOf(report), lastSeen: timestampOf(report), status: 'open',
      snoozedUntil: null, snoozedUntilCount: null, regressedAt: null, resolvedAt: null,
      environments: [], releases: [], lastEventId: String(report.id), counted: new Set(), userKeys: new Set(),
    };
    outcome.isNew = true;
    this.groups.set(key, group);
    return group;
  }

  private count(group: Group, report: Report): void {
    const at = timestampOf(report);
    group.counted.add(String(report.id));
    group.count += occurrencesOf(report);
    if (at > group.lastSeen) group.lastSeen = at;
    if (at < group.firstSeen) group.firstSeen = at;
    group.lastEventId = String(report.id);
    if (report.environment && !group.environments.includes(report.environment)) group.environments.push(report.environment);
    if (report.release && !group.releases.includes(report.release)) group.releases.push(report.release);
    const user = userKey(report);
    if (user) group.userKeys.add(user);
    group.users = group.userKeys.size;
    const agent = report.request?.userAgent;
    if (group.userAgents && agent && group.userAgents.length < 5 && !group.userAgents.includes(agent)) group.userAgents.push(agent);
  }

  private wakeExpired(): void {
    const now = this.clock.now();
    for (const group of this.groups.values()) {
      if (group.status === 'snoozed' && group.snoozedUntil && group.snoozedUntil.getTime() <= now) {
        Object.assign(group, { status: 'open', snoozedUntil: null, snoozedUntilCount: null });
      }
    }
  }
}

function eventOf(report: Report): StoredEventView {
  const { id, fingerprint, kind, title, status, error, request, user, environment, release, host, pid } = structuredClone(report);
  return { id, fingerprint, kind, timestamp: timestampOf(report), title, status, error, request, user, environment, release, host, pid, occurrences: occurrencesOf(report) };
}

function textOf(group: IssueSummary): string[] {
  return [group.title, group.type, group.message, group.culprit, group.url, group.referer].filter((t): t is string => typeof t === 'string');
}

function view(group: Group): IssueSummary {
  const { counted: _counted, userKeys: _users, ...summary } = group;
  return structuredClone(summary);
}
