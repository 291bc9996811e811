// What a notifier implements (Slack, email, the console, or an app's plain object), and the
// summary an alert budget sends in place of what it held back.
import type { Report, ReportKind } from '../report/Report';
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

/**
 * What one notifier's alert budget for one kind held back in a window, told in one summary
 * message (a report with `alert.reason` 'summary' and `alert.summary`): errors and broken
 * links each have their own budget, so a flood of one never hides the other.
 */
export interface AlertSummary {
  kind: ReportKind;
  /** Alerts held back (not sent one by one). */
  held: number;
  /** Of those, first alerts of new issues (new or over the hourly limit). */
  newIssues: number;
  /** Repeats, regressions, snooze ends and digests of known issues. */
  others: number;
  /** How long the window ran before the summary (the whole window, or less at close). */
  elapsedMs: number;
  /** Every new issue held back, in the order held, with its alerts held; bounded (see `unnamed`). */
  named: Array<{ title: string; fingerprint: string; count: number }>;
  /** New issues held back past the bound of `named`: counted, not named. */
  unnamed: number;
}
