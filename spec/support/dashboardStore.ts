// An IssueStore kept in memory, built from Report literals, for the dashboard's own
// specs of rendering, auth and CSRF (the browser specs use the real MongoStore).
// It follows the IssueStore contract: newest first, 'open' by default, folded events
// counted by their occurrences.
import { createHmac } from 'node:crypto';
import type { ActivityEntry, FilterValues, IssueBreakdowns, StatusChange } from '../../lib/contracts/issueStore';
import type { GroupOutcome, IssueStatus, Store } from '../../lib/contracts/store';
import type { EventPage, HistogramBucket, IssuePage, IssueQuery, IssueStore, IssueSummary, SnoozeOptions, StoredEventView } from '../../lib/contracts/issueStore';
import type { Report, ReportKind } from '../../lib/report/Report';

export class DashboardMemoryStore implements IssueStore, Store {
  readonly issues = new Map<string, IssueSummary>();
  readonly events: StoredEventView[] = [];
  readonly statusCalls: Array<{ kind: ReportKind; fingerprint: string; status: IssueStatus; snooze?: SnoozeOptions; change?: StatusChange }> = [];
  readonly activities = new Map<string, ActivityEntry[]>();
  private readonly visitorKeys = new Map<string, Set<string>>();
  private readonly userIds = new Map<string, Set<string>>();
  /** The store's HMAC key for visitors: a keyed hash of the IP is counted, never the IP. */
  private readonly visitorKey = 'spec-store-key';

  /** A store without the optional methods, as an app's own store may be. */
  static minimal(): IssueStore & Store {
    const store = new DashboardMemoryStore();
    return Object.assign(store, { activity: undefined, breakdowns: undefined, filterValues: undefined });
  }

  add(...reports: Report[]): this {
    for (const report of reports) {
      const at = new Date(report.timestamp);
      const occurrences = report.occurrences ?? 1;
      this.events.push({
        id: report.id, fingerprint: report.fingerprint, kind: report.kind, timestamp: at, title: report.title, status: report.status,
        error: report.error, request: report.request, user: report.user, environment: report.environment, release: report.release,
        host: report.host, pid: report.pid, occurrences,
      });
      const key = `${report.kind}:${report.fingerprint}`;
      const existing = this.issues.get(key);
      this.countPeople(key, report);
      if (existing) {
        existing.count += occurrences;
        if (at > existing.lastSeen) [existing.lastSeen, existing.lastEventId] = [at, report.id];
        if (at < existing.firstSeen) existing.firstSeen = at;
        if (!existing.environments.includes(report.environment)) existing.environments.push(report.environment);
        const seenBefore = report.release !== null && existing.releases.includes(report.release);
        if (report.release && !existing.releases.includes(report.release)) {
          existing.releases.push(report.release);
          this.log(key, { at, action: 'new-release', actor: null, via: null, detail: report.release });
        }
        existing.users = this.userIds.get(key)!.size;
        existing.visitors = this.visitorKeys.get(key)!.size;
        // Deploy-aware regressions, simply: a release seen before the resolve, other than the one resolved in, is an old one.
        if (existing.status === 'resolved' && existing.resolvedIn && seenBefore && report.release !== existing.resolvedIn) {
          [existing.oldReleaseSeen, existing.oldReleaseSeenAt] = [report.release, at];
          this.log(key, { at, action: 'old-release', actor: null, via: null, detail: report.release });
        } else if (existing.status === 'resolved') {
          existing.status = 'open';
          existing.regressedAt = at;
          this.log(key, { at, action: 'regressed', actor: null, via: null, detail: report.release });
        }
        continue;
      }
      this.issues.set(key, {
        kind: report.kind, fingerprint: report.fingerprint, title: report.title,
        type: report.error?.type ?? null, message: report.error?.message ?? null,
        culprit: report.error?.frames.find((f) => f.inApp)?.function ?? null,
        url: report.brokenLink?.url, referer: report.brokenLink?.referer, internal: report.brokenLink?.internal,
        userAgents: report.request?.userAgent ? [report.request.userAgent] : [],
        count: occurrences, users: this.userIds.get(key)!.size, visitors: this.visitorKeys.get(key)!.size, firstSeen: at, lastSeen: at, status: 'open',
        environments: [report.environment], releases: report.release ? [report.release] : [], lastEventId: report.id,
        grouping: report.grouping ?? null,
        upstream: report.error?.http ? { method: report.error.http.method, host: hostOf(report.error.http.url), status: report.error.http.status } : null,
      });
      this.log(key, { at, action: 'created', actor: null, via: null, detail: null });
    }
    return this;
  }

  /** Also a (minimal) Store, so stack() can write to it. */
  async save(reports: Report[]): Promise<GroupOutcome[]> {
    this.add(...reports);
    return reports.map((r) => ({ kind: r.kind, fingerprint: r.fingerprint, added: r.occurrences ?? 1, count: null, isNew: false, regressed: false }));
  }

  async listIssues(query: IssueQuery = {}): Promise<IssuePage> {
    const { status = 'open', kind, environment, release, q, sort = 'lastSeen', page = 1, perPage = 50 } = query;
    const needle = q?.toLowerCase();
    const matching = [...this.issues.values()].filter((i) =>
      (status === 'all' || i.status === status) && (!kind || i.kind === kind)
      && (!environment || i.environments.includes(environment)) && (!release || i.releases.includes(release))
      && (!needle || [i.title, i.type, i.message, i.culprit, i.url, i.referer].some((t) => t?.toLowerCase().includes(needle))));
    const value = (i: IssueSummary) => (sort === 'count' ? i.count : i[sort].getTime());
    matching.sort((a, b) => value(b) - value(a));
    const start = (page - 1) * perPage;
    return { issues: matching.slice(start, start + perPage), page, perPage, hasMore: matching.length > start + perPage };
  }

  async getIssue(kind: ReportKind, fingerprint: string): Promise<IssueSummary | null> {
    return this.issues.get(`${kind}:${fingerprint}`) ?? null;
  }

  async setStatus(kind: ReportKind, fingerprint: string, status: IssueStatus, snooze?: SnoozeOptions, change?: StatusChange): Promise<IssueSummary | null> {
    this.statusCalls.push({ kind, fingerprint, status, snooze, change });
    const issue = this.issues.get(`${kind}:${fingerprint}`);
    if (!issue) return null;
    issue.status = status;
    issue.snoozedUntil = snooze?.until ?? null;
    issue.snoozedUntilCount = snooze?.untilCount ? issue.count + snooze.untilCount : null;
    if (status === 'resolved') {
      issue.resolvedAt = new Date();
      issue.resolvedIn = change?.release ?? issue.releases[issue.releases.length - 1] ?? null;
    }
    const detail = status === 'resolved' ? issue.resolvedIn ?? null : snooze?.until ? `until ${snooze.until.toISOString()}` : snooze?.untilCount ? `${snooze.untilCount} more occurrences` : null;
    this.log(`${kind}:${fingerprint}`, { at: new Date(), action: status === 'open' ? 'reopened' : status, actor: change?.actor ?? null, via: change?.via ?? null, detail });
    return { ...issue };
  }

  async activity(kind: ReportKind, fingerprint: string, { limit = 50 } = {}): Promise<ActivityEntry[]> {
    return [...(this.activities.get(`${kind}:${fingerprint}`) ?? [])].reverse().slice(0, limit);
  }

  async breakdowns(fingerprint: string, { days = 14, now = new Date() }: { days?: number; now?: Date } = {}): Promise<IssueBreakdowns> {
    const since = now.getTime() - days * 86_400_000;
    const events = this.events.filter((e) => e.fingerprint === fingerprint && e.timestamp.getTime() > since && e.timestamp <= now);
    const tally = (value: (e: StoredEventView) => string | null | undefined) => {
      const counts = new Map<string, number>();
      for (const e of events) { const v = value(e) ?? 'unknown'; counts.set(v, (counts.get(v) ?? 0) + e.occurrences); }
      return [...counts].map(([v, count]) => ({ value: v, count })).sort((a, b) => b.count - a.count).slice(0, 10);
    };
    const request = (e: StoredEventView) => (e.request ?? {}) as { route?: string | null; path?: string; userAgent?: string | null };
    return {
      days, total: events.reduce((sum, e) => sum + e.occurrences, 0),
      release: tally((e) => e.release), environment: tally((e) => e.environment), route: tally((e) => request(e).route ?? request(e).path),
      browser: tally((e) => browserFamily(request(e).userAgent)), host: tally((e) => e.host),
    };
  }

  async filterValues({ kind }: { kind?: ReportKind } = {}): Promise<FilterValues> {
    const issues = [...this.issues.values()].filter((i) => !kind || i.kind === kind).sort((a, b) => b.lastSeen.getTime() - a.lastSeen.getTime());
    const distinct = (pick: (i: IssueSummary) => string[]) => [...new Set(issues.flatMap((i) => [...pick(i)].reverse()))].slice(0, 100);
    return { releases: distinct((i) => i.releases), environments: distinct((i) => i.environments) };
  }

  private log(key: string, entry: ActivityEntry): void {
    this.activities.set(key, [...(this.activities.get(key) ?? []), entry]);
  }

  private countPeople(key: string, report: Report): void {
    if (!this.userIds.has(key)) [this.userIds, this.visitorKeys].forEach((m) => m.set(key, new Set()));
    if (report.user.id) this.userIds.get(key)!.add(report.user.id);
    else if (report.request?.ip) this.visitorKeys.get(key)!.add(createHmac('sha256', this.visitorKey).update(report.request.ip).digest('hex'));
  }

  async listEvents(fingerprint: string, { page = 1, perPage = 20 } = {}): Promise<EventPage> {
    const all = this.events.filter((e) => e.fingerprint === fingerprint).sort((a, b) => b.timestamp.getTime() - a.timestamp.getTime());
    const start = (page - 1) * perPage;
    return { events: all.slice(start, start + perPage), page, perPage, hasMore: all.length > start + perPage };
  }

  async countEvents(fingerprint: string, { max }: { max: number }): Promise<number> {
    return Math.min(this.events.filter((e) => e.fingerprint === fingerprint).length, max);
  }

  async getEvent(id: string): Promise<StoredEventView | null> {
    return this.events.find((e) => e.id === id) ?? null;
  }

  async findEvents({ requestId }: { requestId: string }): Promise<StoredEventView[]> {
    return this.events.filter((e) => (e.request as { requestId?: unknown } | null)?.requestId === requestId);
  }

  async histogram(fingerprint: string, { by, now = new Date() }: { by: 'hour' | 'day'; now?: Date }): Promise<HistogramBucket[]> {
    const size = by === 'hour' ? 3_600_000 : 86_400_000;
    const count = by === 'hour' ? 24 : 14;
    const end = Math.floor(now.getTime() / size) * size + size;
    const buckets = Array.from({ length: count }, (_, i) => ({ start: new Date(end - (count - i) * size), count: 0 }));
    for (const event of this.events) {
      if (event.fingerprint !== fingerprint) continue;
      const index = Math.floor((event.timestamp.getTime() - (end - count * size)) / size);
      if (index >= 0 && index < count) buckets[index].count += event.occurrences;
    }
    return buckets;
  }

  async histograms(fingerprints: string[], options: { by: 'hour' | 'day'; now?: Date }): Promise<Map<string, HistogramBucket[]>> {
    const answers = new Map<string, HistogramBucket[]>();
    for (const f of fingerprints.map(String)) if (!answers.has(f)) answers.set(f, await this.histogram(f, options));
    return answers;
  }
}

function hostOf(url: string | null): string | null {
  try {
    return url ? new URL(url).host : null;
  } catch {
    return null;
  }
}

function browserFamily(agent: string | null | undefined): string {
  if (!agent) return 'Other';
  for (const [family, pattern] of [['Edge', /Edg\//], ['Chrome', /Chrome\//], ['Firefox', /Firefox\//], ['Safari', /Safari\//], ['curl', /^curl\//]] as const) if (pattern.test(agent)) return family;
  return 'Other';
}
