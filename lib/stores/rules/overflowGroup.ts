// The new-group budget (SavePolicy.maxNewGroupsPerHour): a client that sends a stream of
// never-seen fingerprints (random 404s, messages it controls) opens at most that many
// groups of a kind an hour; past it, its reports are counted in one overflow group per
// kind, so storage stays bounded and the team still sees that something is flooding.
import type { ReportKind } from '../../report/Report';
import type { Report } from '../../report/Report';

export const OVERFLOW_TITLE = 'New issues over the hourly limit';
const HOUR_MS = 3_600_000;

export function overflowFingerprint(kind: ReportKind): string {
  return `overflow:${kind}`;
}

export function isOverflowFingerprint(kind: ReportKind, fingerprint: string): boolean {
  return fingerprint === overflowFingerprint(kind);
}

/** The start of the UTC hour holding `now`: the budget's window. */
export function budgetHour(now: Date): Date {
  return new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS);
}

/** The limit for a kind, from a policy that may not name it (no policy: no limit). */
export function limitOf(limits: Partial<Record<ReportKind, number>> | undefined, kind: ReportKind): number {
  const limit = limits?.[kind];
  return typeof limit === 'number' && limit >= 0 ? Math.floor(limit) : Infinity;
}

/**
 * The report as filed in its kind's overflow group: its own error, request and event are
 * kept (the events show what overflowed), its fingerprint and title are the group's.
 */
export function rerouted(report: Report, limit: number): Report {
  const kind = report.kind;
  const what = kind === 'broken-link' ? 'broken links' : 'error issues';
  return {
    ...report,
    fingerprint: overflowFingerprint(kind),
    title: OVERFLOW_TITLE,
    grouping: { rule: 'overflow', detail: `over ${limit} new ${what} in one hour: reports of further new ones are counted here` },
  };
}
