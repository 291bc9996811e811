// MemoryStore's save: the same rules as MongoStore's write path (idempotent by report
// id, timestamps clamped, the new-group budget, deploy-aware regressions, snooze ends,
// breakdowns, visitors, activity), applied to its tables in one synchronous pass.
import type { GroupOutcome, SavePolicy } from '../../contracts/store';
import type { Report, ReportKind } from '../../report/Report';
import { occurrencesOf } from '../../report/occurrences';
import { filedAt, firstSeenFacts, MAX_TAGS, MAX_USERS, USER_AGENT_SAMPLES, userKey, visitorKey } from '../rules/groupFacts';
import { budgetHour, isOverflowFingerprint, limitOf, rerouted } from '../rules/overflowGroup';
import { newestRelease, planOccurrences, type Filed } from '../rules/occurrencePlan';
import { CLEAR_SNOOZE, describeSnoozeEnd, snoozeEnd, snoozeIsOver, storeEntry } from '../rules/triage';
import { breakdownIncrements, DIMENSIONS } from '../rules/breakdownCounts';
import { HISTOGRAM_BUCKETS } from '../rules/issueQuery';
import { claimAlert, record, remember, type MemoryGroup, type MemoryGroups } from './memoryGroups';
import type { MemoryEvents } from './memoryEvents';

const SILENT = { send: false, suppressed: 0 };

export interface MemoryTables {
  groups: MemoryGroups;
  events: MemoryEvents;
  visitorKey: Buffer;
  /** New groups opened per kind in the current hour. */
  budget: Map<ReportKind, { hour: number; used: number }>;
}

export function saveReports(tables: MemoryTables, reports: Report[], policy: SavePolicy): GroupOutcome[] {
  const batches = new Map<string, { kind: ReportKind; fingerprint: string; filed: Filed[]; overflowed: boolean }>();
  const seen = new Set<string>();
  for (const report of reports) {
    const id = String(report.id);
    if (seen.has(id)) continue;
    seen.add(id);
    const kind: ReportKind = report.kind === 'broken-link' ? 'broken-link' : 'error';
    let fingerprint = String(report.fingerprint);
    let filedReport = report;
    let overflowed = false;
    if (!batches.has(`${kind}\u0000${fingerprint}`) && !tables.groups.get(kind, fingerprint) && !isOverflowFingerprint(kind, fingerprint)
      && !claimNewGroup(tables, kind, policy)) {
      filedReport = rerouted(report, limitOf(policy.maxNewGroupsPerHour, kind));
      fingerprint = filedReport.fingerprint;
      overflowed = true;
    }
    const key = `${kind}\u0000${fingerprint}`;
    const batch = batches.get(key) ?? { kind, fingerprint, filed: [], overflowed };
    batches.set(key, batch);
    batch.filed.push({ report: filedReport, at: filedAt(report, policy), occurrences: occurrencesOf(report) });
  }
  const outcomes: GroupOutcome[] = [];
  for (const { kind, fingerprint, filed, overflowed } of batches.values()) {
    const outcome = countGroup(tables, kind, fingerprint, filed, policy.now);
    if (overflowed) outcome.overflowed = true;
    outcomes.push(outcome);
  }
  return outcomes;
}

/** Takes one new group from the kind's hourly budget; false when it is spent. */
function claimNewGroup(tables: MemoryTables, kind: ReportKind, policy: SavePolicy): boolean {
  const limit = limitOf(policy.maxNewGroupsPerHour, kind);
  if (limit === Infinity) return true;
  const hour = budgetHour(policy.now).getTime();
  const budget = tables.budget.get(kind);
  const current = budget && budget.hour === hour ? budget : { hour, used: 0 };
  tables.budget.set(kind, current);
  if (current.used >= limit) return false;
  current.used++;
  return true;
}

function countGroup(tables: MemoryTables, kind: ReportKind, fingerprint: string, filed: Filed[], now: Date): GroupOutcome {
  const outcome: GroupOutcome = { kind, fingerprint, added: 0, count: null, isNew: false, regressed: false };
  if (kind === 'error') for (const f of filed) tables.events.add(f.report, f.at);
  let group = tables.groups.get(kind, fingerprint);
  const fresh = filed.filter((f) => !group?.recentIds.has(String(f.report.id)));
  if (fresh.length > 0) {
    const plan = planOccurrences(group, fresh);
    const occurrences = fresh.reduce((sum, f) => sum + f.occurrences, 0);
    if (!group) {
      group = created(kind, fingerprint, fresh[0], now);
      outcome.isNew = true;
      outcome.alert = claimAlert(group, now, occurrences);
    } else if (group.status === 'resolved' && plan.reopens) {
      Object.assign(group, { status: 'open', regressedAt: now, resolvedIn: null, releasesAtResolve: [] });
      outcome.regressed = true;
      outcome.alert = claimAlert(group, now, occurrences);
      record(group, [storeEntry('regressed', now, newestRelease(fresh))]);
    } else if (group.status === 'resolved' && plan.oldRelease) {
      Object.assign(group, { oldReleaseSeen: plan.oldRelease.release, oldReleaseSeenAt: plan.oldRelease.at });
      outcome.oldRelease = true;
    }
    record(group, plan.entries);
    count(tables, group, fresh, now);
    outcome.added = occurrences;
    if (snoozeIsOver(group, now)) {
      const end = snoozeEnd(group, now);
      Object.assign(group, { status: 'open', ...CLEAR_SNOOZE });
      outcome.snoozeEnded = end;
      outcome.alert = claimAlert(group, now, occurrences);
      record(group, [storeEntry('snooze-ended', now, describeSnoozeEnd(end))]);
    }
    for (const gone of tables.groups.touch(group)) tables.events.removeIssue(gone.fingerprint);
  }
  if (!group) return outcome;
  outcome.count = group.count;
  outcome.status = group.status;
  if (group.status === 'ignored' || group.status === 'snoozed' || outcome.oldRelease) outcome.alert = SILENT;
  return outcome;
}

function created(kind: ReportKind, fingerprint: string, first: Filed, now: Date): MemoryGroup {
  const facts = firstSeenFacts(first.report) as Partial<MemoryGroup>;
  return {
    kind, fingerprint, title: first.report.title, type: null, message: null, culprit: null, ...facts,
    ...(kind === 'broken-link' ? { userAgents: [] } : {}),
    count: 0, users: 0, firstSeen: first.at, lastSeen: first.at, status: 'open',
    snoozedUntil: null, snoozedUntilCount: null, snoozedAt: null, snoozeFor: null, regressedAt: null, resolvedAt: null,
    resolvedIn: null, releasesAtResolve: [], oldReleaseSeen: null, oldReleaseSeenAt: null,
    environments: [], releases: [], lastRelease: null, lastEventId: String(first.report.id),
    userKeys: new Set(), visitorKeys: new Set(), recentIds: new Set(), alert: { lastAt: null, pending: 0 },
    activity: [storeEntry('created', now)], slots: new Map(), hours: new Map(), days: new Map(),
  };
}

function count(tables: MemoryTables, group: MemoryGroup, fresh: Filed[], now: Date): void {
  for (const { report, at, occurrences } of fresh) {
    remember(group, String(report.id));
    group.count += occurrences;
    if (at >= group.lastSeen) [group.lastSeen, group.lastEventId] = [at, String(report.id)];
    if (at < group.firstSeen) group.firstSeen = at;
    addCapped(group.environments, report.environment, MAX_TAGS);
    addCapped(group.releases, report.release, MAX_TAGS);
    const user = userKey(report);
    if (user && group.userKeys.size < MAX_USERS) group.userKeys.add(user);
    const visitor = visitorKey(report, tables.visitorKey);
    if (visitor && group.visitorKeys.size < MAX_USERS) group.visitorKeys.add(visitor);
    const agent = report.request?.userAgent;
    if (group.userAgents && agent && group.userAgents.length < USER_AGENT_SAMPLES && !group.userAgents.includes(agent)) group.userAgents.push(String(agent));
    countHistograms(group, at, occurrences, now);
  }
  group.lastRelease = newestRelease(fresh) ?? group.lastRelease;
  const planned = breakdownIncrements(fresh, now, (slot) => group.slots.get(slot));
  for (const [slot, plan] of planned) {
    const stored = plan.fresh ? { ...plan, fresh: undefined } : group.slots.get(slot);
    if (!stored) continue;
    if (!plan.fresh) {
      stored.total += plan.total;
      for (const d of DIMENSIONS) for (const [k, n] of Object.entries(plan[d])) stored[d][k] = (stored[d][k] ?? 0) + n;
    }
    group.slots.set(slot, { day: stored.day, total: stored.total, release: stored.release, environment: stored.environment, route: stored.route, browser: stored.browser, host: stored.host });
  }
}

function countHistograms(group: MemoryGroup, at: Date, occurrences: number, now: Date): void {
  for (const [by, counts] of [['hour', group.hours], ['day', group.days]] as const) {
    const { ms, count: buckets } = HISTOGRAM_BUCKETS[by];
    const bucket = Math.floor(at.getTime() / ms);
    const current = Math.floor(now.getTime() / ms);
    if (bucket <= current - buckets || bucket > current) continue;
    counts.set(bucket, (counts.get(bucket) ?? 0) + occurrences);
    for (const old of counts.keys()) if (old <= current - buckets) counts.delete(old);
  }
}

function addCapped(list: string[], value: string | null | undefined, max: number): void {
  if (typeof value === 'string' && value !== '' && list.length < max && !list.includes(value)) list.push(value);
}
