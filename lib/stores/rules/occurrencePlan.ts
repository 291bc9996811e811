// What the occurrences of one group in one save mean for it, decided the same way by every
// store: whether they reopen a resolved group or come from an old release, and which
// of them are the first of a new release (an activity entry each).
import type { ActivityEntry } from '../../contracts/issueStore';
import type { IssueStatus } from '../../contracts/store';
import type { Report } from '../../report/Report';
import { isOldRelease } from './releaseOrder';
import { storeEntry } from './triage';
import { MAX_TAGS } from './groupFacts';

export interface Filed {
  report: Report;
  /** When it is filed (its timestamp, clamped: groupFacts.filedAt). */
  at: Date;
  occurrences: number;
}

export interface GroupBefore {
  status?: IssueStatus;
  releases?: string[];
  resolvedIn?: string | null;
  releasesAtResolve?: string[] | null;
  oldReleaseSeen?: string | null;
}

export interface OccurrencePlan {
  /** A resolved group that these occurrences reopen. */
  reopens: boolean;
  /** A resolved group that stays resolved: every occurrence is from an old release (the newest of them). */
  oldRelease: { release: string; at: Date } | null;
  /** Activity entries to record (old release seen, first events of new releases). */
  entries: ActivityEntry[];
}

export function planOccurrences(before: GroupBefore | undefined, fresh: Filed[]): OccurrencePlan {
  const plan: OccurrencePlan = { reopens: false, oldRelease: null, entries: [] };
  if (!before) return plan;
  if (before.status === 'resolved') {
    const old = fresh.filter((f) => isOldRelease(f.report.release, before));
    plan.reopens = old.length < fresh.length;
    if (!plan.reopens && old.length > 0) {
      const newest = old.reduce((a, b) => (b.at > a.at ? b : a));
      plan.oldRelease = { release: String(newest.report.release), at: newest.at };
      if (plan.oldRelease.release !== before.oldReleaseSeen) plan.entries.push(storeEntry('old-release', newest.at, plan.oldRelease.release));
    }
  }
  const known = new Set(before.releases ?? []);
  if (known.size < MAX_TAGS) {
    for (const f of fresh) {
      const release = f.report.release;
      if (typeof release !== 'string' || release === '' || known.has(release)) continue;
      // An old process of a rolling deploy is not news: its occurrence is marked as above.
      if (before.status === 'resolved' && isOldRelease(release, before)) continue;
      known.add(release);
      plan.entries.push(storeEntry('new-release', f.at, release));
    }
  }
  return plan;
}

/** The release of the newest of `fresh` that has one. */
export function newestRelease(fresh: Filed[]): string | null {
  let newest: Filed | null = null;
  for (const f of fresh) if (typeof f.report.release === 'string' && f.report.release !== '' && (!newest || f.at >= newest.at)) newest = f;
  return newest ? String(newest.report.release) : null;
}
