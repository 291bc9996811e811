import { realClock, type Clock, type ClockTimer } from '../core/clock';
import { checkPositiveInteger } from '../core/options';
import type { Report, ReportKind } from '../report/Report';

/** The alert budget options every notifier takes, with their defaults. */
export interface AlertBudgetOptions {
  /** Alerts sent per budget window; past it, one summary message replaces the rest. */
  maxAlertsPerWindow?: number;
  /** The budget window, opened by the first alert after a quiet spell. */
  budgetWindowMs?: number;
}

export const budgetDefaults = {
  maxAlertsPerWindow: 20,
  budgetWindowMs: 600_000,
};

export const BUDGET_KEYS = Object.keys(budgetDefaults) as ReadonlyArray<keyof AlertBudgetOptions>;

/** What was held back in one window: the summary message says it. */
export interface AlertSummary {
  /** Alerts held back (not sent one by one). */
  held: number;
  newIssues: number;
  brokenLinks: number;
  /** Regressions and repeats of known issues. */
  others: number;
  /** How long the window ran before the summary (the whole window, or less at close). */
  elapsedMs: number;
  /** The most frequent titles held back, most frequent first. */
  top: Array<{ title: string; kind: ReportKind; count: number }>;
}

// Hostile input may bring a million distinct titles: only this many are tracked (the
// counts stay exact), and each is cut, so the budget's memory is bounded.
const MAX_TRACKED_TITLES = 50;
const MAX_TITLE_LENGTH = 200;
export const SUMMARY_TOP_TITLES = 5;

export function checkBudget(where: string, options: Required<AlertBudgetOptions>): void {
  checkPositiveInteger(where, 'maxAlertsPerWindow', options.maxAlertsPerWindow);
  checkPositiveInteger(where, 'budgetWindowMs', options.budgetWindowMs);
}

/**
 * A global cap on one notifier's alerts: an attacker requesting 100 random paths (or
 * a failing dependency opening 100 issues) must not send 100 messages. The first
 * `maxAlertsPerWindow` alerts of a window go out; the rest are only counted (delivery
 * has stored them already) and `onSummary` is called once at the end of the window.
 */
export class AlertBudget {
  private readonly clock: Clock;
  private windowStart: number | null = null;
  private timer: ClockTimer | undefined;
  private sent = 0;
  private held: Omit<AlertSummary, 'elapsedMs' | 'top'> = emptyCounts();
  private titles = new Map<string, { kind: ReportKind; count: number }>();

  constructor(private readonly opts: Required<AlertBudgetOptions> & { clock?: Clock; onSummary: (summary: AlertSummary) => void }) {
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

  /** Alerts held back in the current window. */
  get holding(): number {
    return this.held.held;
  }

  /** Ends the window now (at close): the summary of what is held goes out at once. */
  flush(): void {
    this.endWindow();
  }

  private hold(report: Report): void {
    this.held.held++;
    if (report.kind === 'broken-link') this.held.brokenLinks++;
    else if ((report.alert?.reason ?? 'new') === 'new') this.held.newIssues++;
    else this.held.others++;
    // Every broken link on a host has the same title: the path is what tells them apart.
    const url = report.kind === 'broken-link' ? report.brokenLink?.url : undefined;
    const title = String(url ? `Broken link: ${url}` : report.title ?? '').slice(0, MAX_TITLE_LENGTH);
    const known = this.titles.get(title);
    if (known) known.count++;
    else if (this.titles.size < MAX_TRACKED_TITLES) this.titles.set(title, { kind: report.kind, count: 1 });
  }

  private endWindow(): void {
    this.clock.clearTimeout(this.timer);
    const start = this.windowStart;
    const held = this.held;
    const top = [...this.titles].map(([title, { kind, count }]) => ({ title, kind, count }))
      .sort((a, b) => b.count - a.count)
      .slice(0, SUMMARY_TOP_TITLES);
    this.windowStart = null;
    this.timer = undefined;
    this.sent = 0;
    this.held = emptyCounts();
    this.titles = new Map();
    if (start === null || held.held === 0) return;
    const elapsedMs = Math.min(this.opts.budgetWindowMs, Math.max(0, this.clock.now() - start));
    this.opts.onSummary({ ...held, elapsedMs, top });
  }
}

function emptyCounts(): Omit<AlertSummary, 'elapsedMs' | 'top'> {
  return { held: 0, newIssues: 0, brokenLinks: 0, others: 0 };
}
