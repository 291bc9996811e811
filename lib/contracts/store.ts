// What a store and an alert ledger implement (MemoryStore, MongoStore, your own), and what
// delivery knows of a store's failures. Nothing here knows about MongoDB.
import type { Report, ReportKind, SnoozeEnd } from '../report/Report';

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
  /**
   * The occurrence came from a release older than the one the group was resolved in
   * (see IssueSummary.resolvedIn): counted and marked, the group stays resolved, no alert.
   */
  oldRelease?: boolean;
  /** This call ended a snooze (the group is open again), and why: announced as "Snooze ended (…)". */
  snoozeEnded?: SnoozeEnd;
  /** The report was counted in its kind's overflow group (over `maxNewGroupsPerHour`); `fingerprint` is that group's. */
  overflowed?: boolean;
}


/** What delivery asks of a store with every save, so a client's stream of reports cannot grow the store without bound or pin dates in the future. */
export interface SavePolicy {
  /**
   * New groups a kind may open per hour (all instances together when the store is shared);
   * past it, reports of new fingerprints are counted in one overflow group per kind,
   * fingerprint `overflow:<kind>`, titled "New issues over the hourly limit".
   */
  maxNewGroupsPerHour: Record<ReportKind, number>;
  /** The store's "now": report timestamps later than now + `maxClockSkewMs` are clamped to now. */
  now: Date;
  maxClockSkewMs: number;
}

export type IssueStatus = 'open' | 'resolved' | 'ignored' | 'snoozed';

/**
 * Where reports are kept. `save` must be idempotent by report id: delivery replays
 * a batch after a failure or a restart, and a replay must neither duplicate an
 * event nor count it twice.
 */
export interface Store {
  save(reports: Report[], policy?: SavePolicy): Promise<GroupOutcome[]>;
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
