import { isClock, realClock, type Clock } from '../../core/clock';
import { consoleLogger, isLogger, type Logger } from '../../core/logger';
import { rejectUnknownKeys } from '../../core/options';
import type { Notifier } from '../../ports';
import type { Report } from '../../report/Report';
import { AlertBudget, BUDGET_KEYS, budgetDefaults, checkBudget, type AlertBudgetOptions } from '../alertBudget';
import { describeAlert, describeCount } from '../format/alertReason';
import { describeSummary, summaryTitles } from '../format/alertSummary';
import { notifierFilter, type NotifierFilterOptions } from '../notifierFilter';

export interface ConsoleNotifierOptions extends AlertBudgetOptions {
  logger?: Logger;
  filter?: NotifierFilterOptions;
  /** Time for the budget window; default the real one. */
  clock?: Clock;
}

const WHERE = 'ConsoleNotifier';

/**
 * One log line per alert: what the stack falls back to when neither Slack nor email
 * is configured, so an error is never announced nowhere. The alert budget holds here
 * too: a flood of new issues is one summary line, not a flood of log lines.
 */
export class ConsoleNotifier implements Notifier {
  readonly name = 'console';
  readonly accepts: (report: Report) => boolean;
  private readonly logger: Logger;
  private readonly budget: AlertBudget;
  private closed = false;

  constructor(options: ConsoleNotifierOptions = {}) {
    if (options === null || typeof options !== 'object') throw new TypeError(`${WHERE}: options must be an object`);
    rejectUnknownKeys(WHERE, options, ['logger', 'filter', 'clock', ...BUDGET_KEYS]);
    const { logger = consoleLogger, filter = {}, clock = realClock } = options;
    const budget = { ...budgetDefaults, ...Object.fromEntries(BUDGET_KEYS.filter((k) => options[k] !== undefined).map((k) => [k, options[k]])) };
    if (!isLogger(logger)) throw new TypeError(`${WHERE}: logger must have info, warn and error methods`);
    if (!isClock(clock)) throw new TypeError(`${WHERE}: clock must have now, setTimeout and clearTimeout (see realClock)`);
    checkBudget(WHERE, budget);
    this.logger = logger;
    this.accepts = notifierFilter(filter);
    this.budget = new AlertBudget({
      ...budget,
      clock,
      onSummary: (summary) => this.logger.warn(describeSummary(summary), { held: summary.held, top: summaryTitles(summary) }),
    });
  }

  async notify(report: Report): Promise<void> {
    if (this.closed || !this.budget.admit(report)) return;
    const count = describeCount(report.alert);
    const line = `${report.kind === 'error' ? 'Error' : 'Broken link'}: ${report.title} (${describeAlert(report.alert)}${count ? `, ${count.toLowerCase()}` : ''})`;
    const fields: Record<string, unknown> = {
      status: report.status,
      requestId: report.request?.requestId ?? null,
      fingerprint: report.fingerprint,
    };
    if (report.error) fields.error = `${report.error.type}: ${report.error.message}`;
    if (report.brokenLink) fields.referer = report.brokenLink.referer;
    // Broken links are the site's fault but not an outage: a warning, not an error.
    if (report.kind === 'error') this.logger.error(line, fields);
    else this.logger.warn(line, fields);
  }

  /** Logs the summary of what the budget holds; nothing else is pending. */
  async close(_timeoutMs?: number): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.budget.flush();
  }
}
