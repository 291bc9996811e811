// MemoryStore's events: one per stored error report, bounded per issue, in count and in
// bytes; the oldest go first. Broken links keep no events (as in MongoStore).
import type { StoredEventView } from '../../contracts/issueStore';
import type { Report } from '../../report/Report';
import { occurrencesOf } from '../../report/occurrences';
import { FOUND_BY_REQUEST_ID } from '../rules/issueQuery';

interface Kept {
  view: StoredEventView;
  bytes: number;
  requestId: string | null;
}

export interface EventBounds {
  maxEventsPerIssue: number;
  maxEvents: number;
  maxEventBytes: number;
}

export class MemoryEvents {
  /** Every event, oldest stored first. */
  private readonly all = new Map<string, Kept>();
  /** Event ids per fingerprint, oldest stored first. */
  private readonly byIssue = new Map<string, Set<string>>();
  private readonly byRequestId = new Map<string, Set<string>>();
  private bytes = 0;

  constructor(private readonly bounds: EventBounds) {}

  has(id: string): boolean {
    return this.all.has(id);
  }

  /** Stores the report as an event at `at` (its filed time), unless one with its id is stored. */
  add(report: Report, at: Date): void {
    const id = String(report.id);
    if (this.all.has(id)) return;
    const { fingerprint, kind, title, status, error, request, user, environment, release, host, pid } = report;
    const view: StoredEventView = structuredClone({
      id, fingerprint: String(fingerprint), kind, timestamp: at, title, status, error, request, user, environment, release, host, pid,
      occurrences: occurrencesOf(report),
    });
    const requestId = typeof request?.requestId === 'string' && request.requestId !== '' ? request.requestId : null;
    const kept: Kept = { view, bytes: sizeOf(view), requestId };
    this.all.set(id, kept);
    this.bytes += kept.bytes;
    const issue = this.byIssue.get(view.fingerprint) ?? new Set<string>();
    this.byIssue.set(view.fingerprint, issue.add(id));
    if (requestId) this.byRequestId.set(requestId, (this.byRequestId.get(requestId) ?? new Set<string>()).add(id));
    if (issue.size > this.bounds.maxEventsPerIssue) this.remove(oldestOf(this.events(view.fingerprint)));
    while (this.all.size > this.bounds.maxEvents || (this.bytes > this.bounds.maxEventBytes && this.all.size > 1)) {
      this.remove(this.all.keys().next().value as string);
    }
  }

  get(id: string): StoredEventView | null {
    const kept = this.all.get(String(id));
    return kept ? structuredClone(kept.view) : null;
  }

  /** `count` events of one issue from `offset`, newest first (copies of those only). */
  list(fingerprint: string, offset: number, count: number): StoredEventView[] {
    return this.events(fingerprint).sort(newestFirst).slice(offset, offset + count).map((view) => structuredClone(view));
  }

  count(fingerprint: string): number {
    return this.byIssue.get(fingerprint)?.size ?? 0;
  }

  /** The events of one issue as stored (not copied), in no order. */
  events(fingerprint: string): StoredEventView[] {
    return [...this.byIssue.get(fingerprint) ?? []].map((id) => (this.all.get(id) as Kept).view);
  }

  findByRequestId(requestId: string): StoredEventView[] {
    return [...this.byRequestId.get(requestId) ?? []].map((id) => (this.all.get(id) as Kept).view)
      .sort(newestFirst).slice(0, FOUND_BY_REQUEST_ID).map((view) => structuredClone(view));
  }

  removeIssue(fingerprint: string): void {
    for (const id of [...this.byIssue.get(fingerprint) ?? []]) this.remove(id);
  }

  /** Removes the events dated before `cutoff`. */
  prune(cutoff: Date): void {
    for (const [id, kept] of this.all) if (kept.view.timestamp < cutoff) this.remove(id);
  }

  private remove(id: string | undefined): void {
    const kept = id === undefined ? undefined : this.all.get(id);
    if (!kept || id === undefined) return;
    this.all.delete(id);
    this.bytes -= kept.bytes;
    const issue = this.byIssue.get(kept.view.fingerprint);
    issue?.delete(id);
    if (issue?.size === 0) this.byIssue.delete(kept.view.fingerprint);
    const sameRequest = kept.requestId ? this.byRequestId.get(kept.requestId) : undefined;
    sameRequest?.delete(id);
    if (sameRequest?.size === 0) this.byRequestId.delete(kept.requestId as string);
  }
}

function newestFirst(a: StoredEventView, b: StoredEventView): number {
  return b.timestamp.getTime() - a.timestamp.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

function oldestOf(views: StoredEventView[]): string | undefined {
  let oldest: StoredEventView | undefined;
  for (const view of views) if (!oldest || newestFirst(view, oldest) > 0) oldest = view;
  return oldest?.id;
}

function sizeOf(view: StoredEventView): number {
  try {
    return Buffer.byteLength(JSON.stringify(view));
  } catch {
    return 1024;
  }
}
