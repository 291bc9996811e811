// MemoryStore's groups (issues and broken links): one table per kind, kept in the order
// they were last seen (a count moves a group to the end), so the group seen least
// recently is the first to go past `maxIssues` or `retentionDays`.
import type { ActivityEntry, IssueSummary } from '../../contracts/issueStore';
import type { AlertVerdict } from '../../contracts/store';
import type { ReportKind } from '../../report/Report';
import { ACTIVITY_PER_ISSUE, snoozeIsOver } from '../rules/triage';
import type { BreakdownSlot } from '../rules/breakdownCounts';

export interface MemoryGroup extends IssueSummary {
  snoozedAt: Date | null;
  snoozeFor: number | null;
  releasesAtResolve: string[];
  lastRelease: string | null;
  userKeys: Set<string>;
  visitorKeys: Set<string>;
  recentIds: Set<string>;
  alert: { lastAt: number | null; pending: number };
  activity: ActivityEntry[];
  slots: Map<number, BreakdownSlot>;
  /** Occurrences per hour / day number (histograms), the recent ones only. */
  hours: Map<number, number>;
  days: Map<number, number>;
}

export class MemoryGroups {
  private readonly tables: Record<ReportKind, Map<string, MemoryGroup>> = { error: new Map(), 'broken-link': new Map() };

  constructor(private readonly maxIssues: number) {}

  get(kind: ReportKind, fingerprint: string): MemoryGroup | undefined {
    return this.tables[kind]?.get(String(fingerprint));
  }

  of(kind: ReportKind): IterableIterator<MemoryGroup> {
    return this.tables[kind].values();
  }

  /** Adds or moves the group to the most recently seen end; resolves the groups pushed out by the cap. */
  touch(group: MemoryGroup): MemoryGroup[] {
    const table = this.tables[group.kind];
    table.delete(group.fingerprint);
    table.set(group.fingerprint, group);
    const evicted: MemoryGroup[] = [];
    while (table.size > this.maxIssues) {
      const oldest = table.values().next().value as MemoryGroup;
      table.delete(oldest.fingerprint);
      evicted.push(oldest);
    }
    return evicted;
  }

  /** Removes the groups last seen before `cutoff`; resolves them. */
  prune(cutoff: Date): MemoryGroup[] {
    const gone: MemoryGroup[] = [];
    for (const table of Object.values(this.tables)) {
      for (const group of table.values()) {
        if (group.lastSeen < cutoff) gone.push(group);
      }
      for (const group of gone) if (table.get(group.fingerprint) === group) table.delete(group.fingerprint);
    }
    return gone;
  }
}

/**
 * Report ids remembered per group. In a process, a batch is saved again only after a save
 * that answered past its deadline (an outbox replay follows a restart, and this store's
 * memory does not survive one): a batch's worth is enough, and 2,000 groups of ids stay small.
 */
const RECENT_IDS_IN_MEMORY = 100;

export function remember(group: MemoryGroup, id: string): void {
  group.recentIds.add(id);
  if (group.recentIds.size > RECENT_IDS_IN_MEMORY) group.recentIds.delete(group.recentIds.values().next().value as string);
}

export function record(group: MemoryGroup, entries: ActivityEntry[]): void {
  group.activity.push(...entries);
  if (group.activity.length > ACTIVITY_PER_ISSUE) group.activity.splice(0, group.activity.length - ACTIVITY_PER_ISSUE);
}

/** The alert claim a new group, a regression or a woken snooze takes: its saver announces it. */
export function claimAlert(group: MemoryGroup, now: Date, occurrences: number): AlertVerdict {
  const suppressed = group.alert.pending;
  group.alert = { lastAt: now.getTime(), pending: Math.max(0, occurrences - 1) };
  return { send: true, suppressed };
}

/** The group as the IssueStore port shows it (a copy); a snooze whose time has passed reads as open. */
export function summaryOf(group: MemoryGroup, now: Date): IssueSummary {
  const over = snoozeIsOver(group, now);
  const summary: IssueSummary = {
    kind: group.kind, fingerprint: group.fingerprint, title: group.title, type: group.type, message: group.message, culprit: group.culprit,
    ...(group.kind === 'broken-link' ? { url: group.url ?? '', referer: group.referer ?? '', internal: !!group.internal, userAgents: [...group.userAgents ?? []] } : {}),
    count: group.count, users: group.userKeys.size, visitors: group.visitorKeys.size,
    firstSeen: new Date(group.firstSeen), lastSeen: new Date(group.lastSeen),
    status: over ? 'open' : group.status,
    snoozedUntil: over ? null : group.snoozedUntil ?? null,
    snoozedUntilCount: over ? null : group.snoozedUntilCount ?? null,
    regressedAt: group.regressedAt ?? null, resolvedAt: group.resolvedAt ?? null, resolvedIn: group.resolvedIn ?? null,
    oldReleaseSeen: group.oldReleaseSeen ?? null, oldReleaseSeenAt: group.oldReleaseSeenAt ?? null,
    environments: [...group.environments], releases: [...group.releases], lastEventId: group.lastEventId,
    grouping: group.grouping ?? null, upstream: group.upstream ?? null,
  };
  return structuredClone(summary);
}
