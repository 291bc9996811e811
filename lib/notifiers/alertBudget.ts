import { realClock, type Clock, type ClockTimer } from '../core/clock';
import type { AlertSummary, Report, ReportKind } from '../report/Report';


export interface AlertBudgetOptions {
  kind: ReportKind;
  /** Alerts sent per window; past it, one summary replaces the rest. */
  maxAlertsPerWindow: number;
  /** The window, opened by the first alert after a quiet spell. */
  budgetWindowMs: number;
  clock?: Clock;
  /** Called once at the end of a window that held something back. */
  onSummary(summary: AlertSummary): void;
}

// Hostile input may bring a million new issues: the summary names this many (the counts
// stay exact) and cuts each title, so a budget's memory and its message are bounded.
export const MAX_NAMED_ISSUES = 50;
export const MAX_TITLE_LENGTH = 150;

// First alerts of a group: the issues a person has not been told about yet.
const FIRST_ALERTS = new Set(['new', 'overflow']);

/**
 * One kind's cap on one notifier's alerts: an attacker requesting 100 random paths (or a
 * failing dependency opening 100 issues) must not send 100 messages, and broken links must
 * not spend the budget of errors (each kind has its own). The first `maxAlertsPerWindow`
 * alerts of a window go out; the rest are only counted (delivery has stored them) and
 * `onSummary` names every new issue held back, once, at the end of the window.
 */
export class AlertBudget {
  private readonly clock: Clock;
  private windowStart: number | null = null;
  private timer: ClockTimer | undefined;
  private sent = 0;
  private held = 0;
  private others = 0;
  private unnamed = 0;
  private named = new Map<string, { title: string; fingerprint: string; count: number }>();

  constructor(private readonly opts: AlertBudgetOptions) {
    this.clock = opts.clock ?? realClock;
  }

  /** True when the report may be sent now; false when it was counted into the summary. */
  admit(report: Report): boolean {
    if (this.windowStart === null) {
      this.windowStart = this.clock.now();
      this.timer = this.clock.setTimeout(() => this.endWindow(), this.opts.budgetWindowMs);
    }
    if (this.sent < this.opts.maxAlertsPerWindow) {
      this.sent++;
      return true;
    }
    this.hold(report);
    return false;
  }

  /** Ends the window now (at close): the summary of what is held goes out at once. */
  flush(): void {
    this.endWindow();
  }

  private hold(report: Report): void {
    this.held++;
    if (!FIRST_ALERTS.has(report.alert?.reason ?? 'new')) {
      this.others++;
      return;
    }
    const fingerprint = String(report.fingerprint);
    const known = this.named.get(fingerprint);
    if (known) known.count++;
    else if (this.named.size < MAX_NAMED_ISSUES) this.named.set(fingerprint, { title: titleOf(report), fingerprint, count: 1 });
    else this.unnamed++;
  }

  private endWindow(): void {
    this.clock.clearTimeout(this.timer);
    const start = this.windowStart;
    const summary: AlertSummary = {
      kind: this.opts.kind,
      held: this.held,
      newIssues: this.held - this.others,
      others: this.others,
      elapsedMs: start === null ? 0 : Math.min(this.opts.budgetWindowMs, Math.max(0, this.clock.now() - start)),
      named: [...this.named.values()],
      unnamed: this.unnamed,
    };
    this.windowStart = null;
    this.timer = undefined;
    this.sent = this.held = this.others = this.unnamed = 0;
    this.named = new Map();
    if (summary.held > 0) this.opts.onSummary(summary);
  }
}

/** The title a summary names an issue by: a broken link's URL (every link on a host has the same title). */
function titleOf(report: Report): string {
  const url = report.kind === 'broken-link' ? report.brokenLink?.url : undefined;
  const title = String(url ? `Broken link: ${url}` : report.title ?? '');
  return title.length > MAX_TITLE_LENGTH ? `${title.slice(0, MAX_TITLE_LENGTH - 1)}…` : title;
}

/**
 * The report a summary travels as, so every notifier (an app's plain object included)
 * receives it through `notify`: its title is the summary's headline, its `alert` carries
 * the summary; the environment and release are those of the last report of the window.
 */
export function summaryReport(summary: AlertSummary, headline: string, last: Report | null, now: number): Report {
  return {
    id: `summary-${summary.kind}-${now}`,
    kind: summary.kind,
    title: headline,
    timestamp: new Date(now).toISOString(),
    timezone: typeof last?.timezone === 'string' ? last.timezone : 'UTC',
    status: summary.kind === 'broken-link' ? 404 : 500,
    fingerprint: `alert-budget:${summary.kind}`,
    error: null,
    brokenLink: null,
    request: null,
    user: { id: null, username: '' },
    environment: typeof last?.environment === 'string' ? last.environment : '',
    release: typeof last?.release === 'string' ? last.release : null,
    host: typeof last?.host === 'string' ? last.host : '',
    pid: process.pid,
    alert: { reason: 'summary', suppressed: summary.held, windowMs: summary.elapsedMs, count: null, summary },
  };
}
