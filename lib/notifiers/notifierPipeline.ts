import { isClock, realClock, type Clock } from '../core/clock';
import { messageOf } from '../core/errors';
import { isLogger, type Logger } from '../core/logger';
import type { Report } from '../report/Report';
import { AlertBudget, BUDGET_KEYS, budgetDefaults, checkBudget, type AlertBudgetOptions, type AlertSummary } from './alertBudget';
import { PACING_KEYS, PacedRetryQueue, checkPacing, pacingDefaults, type PacedQueueStats, type PacingOptions, type QueuedMessage } from './pacedRetryQueue';

/** Options every queued notifier (Slack, email) takes besides its own. */
export interface QueuedNotifierOptions extends PacingOptions, AlertBudgetOptions {
  /** Time for pacing, retries, budget windows and deadlines; default the real one. */
  clock?: Clock;
  /** Jitter source for the retry backoff, in [0, 1); default Math.random. */
  random?: () => number;
  logger?: Logger;
}

export const QUEUED_NOTIFIER_KEYS: readonly string[] = [...PACING_KEYS, ...BUDGET_KEYS, 'clock', 'random', 'logger'];

export interface QueuedNotifierStats extends PacedQueueStats {
  /** Alerts held back past the budget and told in a summary message instead. */
  summarized: number;
}

export interface PipelineSettings extends Required<PacingOptions>, Required<AlertBudgetOptions> {
  clock: Clock;
  random: () => number;
  logger: Logger;
}

/** The shared options with their defaults, checked; `where` names the notifier in errors. */
export function pipelineSettings(where: string, options: QueuedNotifierOptions, own: Partial<PacingOptions>, logger: Logger): PipelineSettings {
  const settings = { ...pacingDefaults, ...own, ...budgetDefaults, clock: realClock, random: Math.random, logger };
  for (const key of QUEUED_NOTIFIER_KEYS) {
    const value = (options as Record<string, unknown>)[key];
    if (value !== undefined) (settings as Record<string, unknown>)[key] = value;
  }
  if (!isLogger(settings.logger)) throw new TypeError(`${where}: \`logger\` must have info, warn and error methods`);
  if (!isClock(settings.clock)) throw new TypeError(`${where}: \`clock\` must have now, setTimeout and clearTimeout (see realClock)`);
  if (typeof settings.random !== 'function') throw new TypeError(`${where}: \`random\` must be a function returning a number in [0, 1)`);
  checkPacing(where, settings);
  checkBudget(where, settings);
  return settings;
}

/**
 * What Slack and email do alike between `notify` and the wire: refuse after close,
 * build the message (a report that cannot be rendered is logged, not thrown), spend
 * the alert budget, and queue the message for paced, retried sending.
 */
export class NotifierPipeline {
  readonly queue: PacedRetryQueue;
  private readonly budget: AlertBudget;
  private readonly logger: Logger;
  private summarized = 0;

  constructor(
    private readonly label: string,
    settings: PipelineSettings,
    summaryMessage: (summary: AlertSummary) => QueuedMessage,
    private readonly mask: (text: string) => string = (text) => text,
  ) {
    this.logger = settings.logger;
    this.queue = new PacedRetryQueue({ ...settings, label, mask });
    this.budget = new AlertBudget({
      ...settings,
      onSummary: (summary) => {
        settings.logger.warn(`${label} alert budget reached; sending one summary`, { held: summary.held, maxAlertsPerWindow: settings.maxAlertsPerWindow });
        void this.queue.enqueue(summaryMessage(summary));
      },
    });
  }

  get stats(): QueuedNotifierStats {
    return { ...this.queue.stats, summarized: this.summarized };
  }

  /** Resolves when the message is sent, given up, or counted into the summary; never rejects. */
  send(report: Report, build: (report: Report) => QueuedMessage): Promise<void> {
    if (this.queue.closed) return this.queue.enqueue({ fields: { reportId: idOf(report) }, send: async () => ({ kind: 'cancelled' }) });
    let message: QueuedMessage;
    let admitted: boolean;
    try {
      message = build(report);
      admitted = this.budget.admit(report);
    } catch (err) {
      this.queue.stats.failed++;
      this.logger.error(`${this.label} message could not be built; alert not sent`, { reportId: idOf(report), error: this.mask(messageOf(err)) });
      return Promise.resolve();
    }
    if (!admitted) {
      this.summarized++;
      return Promise.resolve();
    }
    return this.queue.enqueue(message);
  }

  /** Sends the summary of what the budget holds, then closes the queue (by `timeoutMs` when given). */
  close(timeoutMs?: number): Promise<void> {
    const validDeadline = timeoutMs === undefined || (Number.isFinite(timeoutMs) && timeoutMs >= 0);
    if (validDeadline && !this.queue.closed) this.budget.flush();
    return this.queue.close(timeoutMs);
  }
}

function idOf(report: Report): unknown {
  try {
    return report?.id;
  } catch {
    return undefined;
  }
}
