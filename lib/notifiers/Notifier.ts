import type { Report } from '../report/Report';

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
  /** Waits for queued messages (bounded by the notifier's own timeouts), then releases resources. */
  close?(): Promise<void>;
}

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}
