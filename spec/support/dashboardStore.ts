// An IssueStore kept in memory, built from Report literals, for the dashboard's own
// specs of rendering, auth and CSRF (the browser specs use the real MongoStore).
// It follows the IssueStore contract: newest first, 'open' by default, folded events
// counted by their occurrences.
import type { GroupOutcome, IssueStatus, Store } from '../../lib/ports';
import type {
  EventPage, HistogramBucket, IssuePage, IssueQuery, IssueStore, IssueSummary, SnoozeOptions, StoredEventView,
} from '../../lib/ports';
import type { Report, ReportKind } from '../../lib/report/Report';

export class DashboardMemoryStore implements IssueStore, Store {
  readonly issues = new Map<string, IssueSummary>();
  readonly events: StoredEventView[] = [];
  readonly statusCalls: Array<{ kind: ReportKind; fingerprint: string; status: IssueStatus; snooze?: SnoozeOptions }> = [];

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
      if (existing) {
        existing.count += occurrences;
        if (at > existing.lastSeen) [existing.lastSeen, existing.lastEventId] = [at, report.id];
        if (at < existing.firstSeen) existing.firstSeen = at;
        if (!existing.environments.includes(report.environment)) existing.environments.push(report.environment);
        if (report.release && !existing.releases.includes(report.release)) existing.releases.push(report.release);
        continue;
      }
      this.issues.set(key, {
        kind: report.kind, fingerprint: report.fingerprint, title: report.title,
        type: report.error?.type ?? null, message: report.error?.message ?? null,
        culprit: report.error?.frames.find((f) => f.inApp)?.function ?? null,
        url: report.brokenLink?.url, referer: report.brokenLink?.referer, internal: report.brokenLink?.internal,
        userAgents: report.request?.userAgent ? [report.request.userAgent] : [],
        count: occurrences, users: report.user.id ? 1 : 0, firstSeen: at, lastSeen: at, status: 'open',
        environments: [report.environment], releases: report.release ? [report.release] : [], lastEventId: report.id,
      });
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

  async setStatus(kind: ReportKind, fingerprint: string, status: IssueStatus, snooze?: SnoozeOptions): Promise<IssueSummary | null> {
    this.statusCalls.push({ kind, fingerprint, status, snooze });
    const issue = this.issues.get(`${kind}:${fingerprint}`);
    if (!issue) return null;
    issue.status = status;
    issue.snoozedUntil = snooze?.until ?? null;
    issue.snoozedUntilCount = snooze?.untilCount ?? null;
    if (status === 'resolved') issue.resolvedAt = new Date();
    return issue;
  }

  async listEvents(fingerprint: string, { page = 1, perPage = 20 } = {}): Promise<EventPage> {
    const all = this.events.filter((e) => e.fingerprint === fingerprint).sort((a, b) => b.timestamp.getTime() - a.timestamp.getTime());
    const start = (page - 1) * perPage;
    return { events: all.slice(start, start + perPage), page, perPage, hasMore: all.length > start + perPage };
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
