// MemoryStore's alert ledger: the throttle state kept on the group itself, as MongoStore
// keeps it on the group's document, so an ignored or snoozed group is never announced and
// the claims taken by a save (new group, regression, snooze end) are the ledger's too.
import type { AlertClaim, AlertLedger, AlertVerdict, DigestClaim } from '../../contracts/store';
import type { ReportKind } from '../../report/Report';
import type { MemoryGroup, MemoryGroups } from './memoryGroups';

const SILENCED = new Set(['ignored', 'snoozed']);

export class MemoryStoreLedger implements AlertLedger {
  constructor(private readonly groups: MemoryGroups, private readonly kind: ReportKind) {}

  async record(claim: AlertClaim): Promise<AlertVerdict> {
    const group = this.audible(claim.fingerprint);
    if (!group) return { send: false, suppressed: 0 };
    const windowStart = claim.now.getTime() - claim.windowMs;
    if (claim.force || group.alert.lastAt === null || group.alert.lastAt <= windowStart) {
      const suppressed = group.alert.pending;
      group.alert = { lastAt: claim.now.getTime(), pending: Math.max(0, claim.occurrences - 1) };
      return { send: true, suppressed };
    }
    // Held back for the digest.
    if (claim.occurrences > 0) group.alert.pending += claim.occurrences;
    return { send: false, suppressed: 0 };
  }

  async claimDigest(_kind: ReportKind, fingerprint: string, now: Date, windowMs: number): Promise<DigestClaim> {
    const group = this.audible(fingerprint);
    const due = group && group.alert.pending > 0 && group.alert.lastAt !== null && group.alert.lastAt <= now.getTime() - windowMs;
    if (!group || !due) return { suppressed: 0, count: null };
    const suppressed = group.alert.pending;
    group.alert = { lastAt: now.getTime(), pending: 0 };
    return { suppressed, count: group.count };
  }

  private audible(fingerprint: string): MemoryGroup | undefined {
    const group = this.groups.get(this.kind, String(fingerprint));
    return group && !SILENCED.has(group.status) ? group : undefined;
  }
}
