// What a notifier implements (Slack, email, the console, or an app's plain object), and the
// summary an alert budget sends in place of what it held back.
import type { Report, AlertSummary } from '../report/Report';
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

