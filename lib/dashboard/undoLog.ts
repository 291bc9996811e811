// What a status action changed, kept for a while so the page it returns to can say
// "3 issues resolved" and offer Undo. In this process's memory, bounded: behind a load
// balancer an undo that reaches another instance says it has expired.
import { randomBytes } from 'node:crypto';
import type { IssueStatus } from '../contracts/store';
import type { IssueSummary } from '../contracts/issueStore';
import type { ReportKind } from '../report/Report';

export interface PreviousStatus {
  kind: ReportKind;
  fingerprint: string;
  status: IssueStatus;
  snoozedUntil: Date | null;
  /** Occurrences left of a count snooze when it was changed. */
  snoozeLeft: number | null;
}

export interface UndoRecord {
  /** The status set, or 'undone' after an undo. */
  status: IssueStatus | 'undone';
  previous: PreviousStatus[];
  at: number;
}

const MAX_RECORDS = 200;
const TTL_MS = 60 * 60_000;

export class UndoLog {
  private readonly records = new Map<string, UndoRecord>();

  add(record: UndoRecord): string {
    const id = randomBytes(12).toString('base64url');
    this.records.set(id, record);
    for (const [key, kept] of this.records) {
      if (this.records.size <= MAX_RECORDS && record.at - kept.at < TTL_MS) break;
      this.records.delete(key);
    }
    return id;
  }

  get(id: string, now: number): UndoRecord | null {
    const record = this.records.get(id);
    return record && now - record.at < TTL_MS ? record : null;
  }

  /** Taken once: a second Undo of the same action does nothing. */
  take(id: string, now: number): UndoRecord | null {
    const record = this.get(id, now);
    this.records.delete(id);
    return record;
  }
}

export function previousOf(issue: IssueSummary): PreviousStatus {
  const until = issue.snoozedUntil ? new Date(issue.snoozedUntil) : null;
  const left = issue.snoozedUntilCount ? issue.snoozedUntilCount - issue.count : null;
  return { kind: issue.kind, fingerprint: issue.fingerprint, status: issue.status, snoozedUntil: until, snoozeLeft: left };
}
