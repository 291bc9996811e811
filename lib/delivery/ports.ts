import type { Report } from '../report/Report';

/** What a store learned about each group (fingerprint) while saving a batch. */
export interface GroupOutcome {
  kind: Report['kind'];
  fingerprint: string;
  /** Occurrences of this group newly stored by this call (replays are not counted twice). */
  added: number;
  /** Total occurrences after this call, when the store keeps counts. */
  count: number | null;
  /** This call created the group. */
  isNew: boolean;
  /** This call reopened a resolved group. */
  regressed: boolean;
  /**
   * The group's triage status after this call, when the store keeps one: `ignored` and
   * `snoozed` groups are stored and counted but never announced.
   */
  status?: IssueStatus;
  /**
   * The alert decision, when the store made it in the same trip as the save (MongoStore
   * does); absent means delivery asks the ledger (`alertLedger().record`) itself.
   */
  alert?: AlertVerdict;
}

export type IssueStatus = 'open' | 'resolved' | 'ignored' | 'snoozed';

/**
 * Where reports are kept. `save` must be idempotent by report id: delivery replays
 * a batch after a failure or a restart, and a replay must neither duplicate an
 * event nor count it twice.
 */
export interface Store {
  save(reports: Report[]): Promise<GroupOutcome[]>;
  /** Shared alert throttle state, so several app instances send one alert between them. */
  alertLedger?(kind: Report['kind']): AlertLedger;
  close?(): Promise<void>;
}

/**
 * Thrown by a store when the failure concerns the reports themselves (a key or size
 * the database refuses, a validation error), so retrying the same batch can never
 * succeed. Delivery then isolates the reports at fault instead of parking the batch;
 * any other error is taken as transient (network, timeouts, failover) and retried.
 */
export class PermanentStoreError extends Error {
  readonly permanent = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentStoreError';
  }
}

export function isPermanentStoreError(err: unknown): boolean {
  return err instanceof PermanentStoreError || (err as { permanent?: unknown } | null)?.permanent === true;
}

export interface AlertClaim {
  kind: Report['kind'];
  fingerprint: string;
  /** Occurrences to account for in this call. */
  occurrences: number;
  /** Alert regardless of the window (a new group or a regression). */
  force: boolean;
  now: Date;
  windowMs: number;
}

export interface DigestClaim {
  /** Occurrences held back since the last alert; 0 when there is no digest to send. */
  suppressed: number;
  /** The group's total as the ledger knows it now (all instances together), when it keeps one. */
  count: number | null;
}

export interface AlertVerdict {
  /** Announce now. */
  send: boolean;
  /** When sending: occurrences counted and held back since the previous alert. */
  suppressed: number;
}

/**
 * Decides atomically whether an occurrence is announced or only counted. Implemented
 * in memory (one process) and by MongoStore (conditional updates shared by all instances).
 */
export interface AlertLedger {
  record(claim: AlertClaim): Promise<AlertVerdict>;
  /** Claims a digest for a group whose window has passed with occurrences held back. */
  claimDigest(kind: Report['kind'], fingerprint: string, now: Date, windowMs: number): Promise<DigestClaim>;
}

/**
 * Anything that announces reports: Slack, email, or your own (PagerDuty, Teams, a webhook).
 * `notify` resolves when the message is delivered or given up; it may reject, and
 * delivery catches it: a failing notifier never touches a request or another notifier.
 * `report.alert` says why it is sent (first occurrence, regression, digest).
 */
export interface Notifier {
  readonly name?: string;
  notify(report: Report): Promise<void>;
  /** Routing filter (minimum status, environments, a predicate); absent means every report. */
  accepts?(report: Report): boolean;
  /**
   * Waits for queued messages, then releases resources. With `timeoutMs`, retries stop
   * and what is not sent by then is given up: delivery also races the call against it.
   */
  close?(timeoutMs?: number): Promise<void>;
}
