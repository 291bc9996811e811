// The one pipeline every notifier goes through, as Sentry's createTransport is for its
// transports (packages/core/src/transports/base.ts): the routing filter, an alert budget
// per kind, a paced queue with retries, and a deadline on every attempt and on close.
// A built-in notifier (Slack, email, console) is only its message format and its send
// function (`pipelineParts()`); an app's plain object `{ notify(report) {…} }` is sent
// through `notify`. Delivery (lib/delivery/Announcer.ts) builds one pipeline per notifier.
import { isClock, realClock, type Clock } from '../core/clock';
import { messageOf } from '../core/errors';
import { consoleLogger, isLogger, type Logger } from '../core/logger';
import { checkNonNegativeInteger, checkPositiveInteger, definedOnly, rejectUnknownKeys } from '../core/options';
import type { Notifier } from '../contracts/notifier';
import type { AlertSummary, Report, ReportKind } from '../report/Report';
import { AlertBudget, summaryReport } from './alertBudget';
import { announcedKind } from './kindRoute';
import { describeSummary } from './format/alertSummary';
import { PacedRetryQueue, type AttemptResult, type PacedQueueStats } from './pacedRetryQueue';

/** Every setting of the pipeline, with the defaults a notifier of the app's own gets. */
export const pipelineDefaults = {
  /** Alerts of one kind per budget window (errors and broken links each have their own); past it, one summary. */
  maxAlertsPerWindow: 20,
  /** The budget window, opened by the first alert after a quiet spell. */
  budgetWindowMs: 600_000,
  /** Gap between two attempts, counted from the answer. */
  minIntervalMs: 0,
  /** Messages waiting to be sent; past it the oldest waiting one is dropped. */
  maxQueue: 100,
  /** Retries after a transient failure (a plain object's `notify` that rejects has given up already). */
  maxRetries: 0,
  retryBaseMs: 1000,
  retryMaxMs: 60_000,
  /** Deadline of one attempt: the attempt's signal aborts then, and it counts as a transient failure. */
  timeoutMs: 10_000,
  /** Time for pacing, retries, budget windows and deadlines. */
  clock: realClock as Clock,
  logger: consoleLogger as Logger,
  /** Jitter source for the retry backoff, in [0, 1). */
  random: Math.random as () => number,
};

export type PipelineSettings = typeof pipelineDefaults;
export type PipelineOptions = Partial<PipelineSettings>;
export const PIPELINE_OPTION_KEYS = Object.keys(pipelineDefaults) as Array<keyof PipelineSettings>;

/** What a built-in notifier is made of: its message format plus its send function. */
export interface NotifierParts<M = unknown> {
  /** Names the notifier in log lines ("Slack"). */
  label: string;
  /** The routing filter; absent means every report. */
  accepts?(report: Report): boolean;
  /** The message for a report, or for a budget summary (`report.alert.reason === 'summary'`). May throw: logged, not sent. */
  format(report: Report): M;
  /** One attempt, classified for the retry policy; `signal` aborts at the attempt's deadline or at close. */
  send(message: M, signal: AbortSignal): Promise<AttemptResult>;
  /** The notifier's own settings (its defaults under its options); the rest come from whoever builds the pipeline. */
  settings: PipelineOptions;
  /** Hides secrets (a webhook URL, a token) in what is logged. */
  mask?(text: string): string;
  /** Releases what the notifier holds (an SMTP pool) once its queue is closed. */
  release?(remainingMs: number | undefined): Promise<void> | void;
}

/** A notifier that hands the pipeline its parts rather than being called through `notify`. */
export interface NotifierWithParts extends Notifier {
  pipelineParts(): NotifierParts<any>;
}

/** What became of a report handed to the pipeline. */
export type PipelineOutcome = 'sent' | 'filtered' | 'held' | 'failed' | 'dropped';

export interface PipelineStats extends PacedQueueStats {
  /** Alerts held back past a budget and told in a summary instead. */
  summarized: number;
}

/**
 * A built-in notifier's options, read once: an object, no key unknown to its own defaults
 * or the pipeline, the defaults under what was given; and the pipeline's share of them, as
 * given (`pipelineOptions`: delivery's defaults go under them later) and checked now
 * (`settings`), so a bad value fails at construction.
 */
export function readNotifierOptions<D extends object, O extends object>(where: string, defaults: D, options: O): { opts: D & Partial<O>; pipelineOptions: PipelineOptions; settings: PipelineSettings } {
  if (options === null || typeof options !== 'object') throw new TypeError(`${where}: options must be an object`);
  rejectUnknownKeys(where, options, [...new Set([...Object.keys(defaults), ...PIPELINE_OPTION_KEYS])]);
  const opts = { ...defaults, ...definedOnly(options) };
  const pipelineOptions = pipelineOptionsOf(opts as Record<string, unknown>);
  return { opts, pipelineOptions, settings: pipelineSettings(where, pipelineOptions) };
}

/** The pipeline's settings among a notifier's options. */
export function pipelineOptionsOf(options: Record<string, unknown>): PipelineOptions {
  return Object.fromEntries(PIPELINE_OPTION_KEYS.filter((key) => options[key] !== undefined).map((key) => [key, options[key]]));
}

/** The settings, defaults under each layer (later layers win; undefined values are ignored), checked. */
export function pipelineSettings(where: string, ...layers: PipelineOptions[]): PipelineSettings {
  const settings = { ...pipelineDefaults };
  for (const layer of layers) {
    for (const [key, value] of Object.entries(definedOnly(layer))) {
      if (key in pipelineDefaults) (settings as Record<string, unknown>)[key] = value;
    }
  }
  for (const key of ['maxAlertsPerWindow', 'budgetWindowMs', 'maxQueue', 'timeoutMs'] as const) checkPositiveInteger(where, key, settings[key]);
  for (const key of ['minIntervalMs', 'maxRetries', 'retryBaseMs', 'retryMaxMs'] as const) checkNonNegativeInteger(where, key, settings[key]);
  if (settings.retryMaxMs < settings.retryBaseMs) throw new RangeError(`${where}: \`retryMaxMs\` must be at least \`retryBaseMs\` (${settings.retryBaseMs})`);
  if (!isLogger(settings.logger)) throw new TypeError(`${where}: \`logger\` must have info, warn and error methods`);
  if (!isClock(settings.clock)) throw new TypeError(`${where}: \`clock\` must have now, setTimeout and clearTimeout (see realClock)`);
  if (typeof settings.random !== 'function') throw new TypeError(`${where}: \`random\` must be a function returning a number in [0, 1)`);
  return settings;
}

const pipelines = new WeakMap<object, NotifierPipeline>();

/**
 * The pipeline of a notifier, with `defaults` under the notifier's own settings. A built-in
 * notifier has one, built on first use and the same for every caller (delivery, or the app
 * calling it directly), so its budget and queue are never doubled and its close is final.
 * An object of the app's own is wrapped anew by each caller (each delivery): closing one
 * delivery leaves another's pipeline open.
 */
export function notifierPipeline(notifier: Notifier, defaults: PipelineOptions = {}): NotifierPipeline {
  if (typeof (notifier as Partial<NotifierWithParts>).pipelineParts !== 'function') {
    const parts = plainParts(notifier);
    return new NotifierPipeline(parts, pipelineSettings(`notifier ${parts.label}`, defaults, parts.settings));
  }
  // Known by its parts, so a wrapper around it (a Proxy) finds the same pipeline.
  const parts = (notifier as NotifierWithParts).pipelineParts();
  let pipeline = pipelines.get(parts);
  if (!pipeline) {
    pipeline = new NotifierPipeline(parts, pipelineSettings(`notifier ${parts.label}`, defaults, parts.settings));
    pipelines.set(parts, pipeline);
  }
  return pipeline;
}

/** A notifier of the app's own may carry its own pipeline settings (as a built-in takes them as options). */
export interface PlainNotifierSettings {
  readonly pipelineOptions?: PipelineOptions;
}

/** A notifier of the app's own: sent through its `notify`, filtered by its `accepts`, closed by its `close`. */
function plainParts(notifier: Notifier): NotifierParts<Report> {
  return {
    label: nameOf(notifier),
    accepts: (report) => typeof notifier.accepts !== 'function' || notifier.accepts(report) !== false,
    format: (report) => report,
    async send(report, signal) {
      try {
        // The signal is an extra a notifier may use (fetch takes it); the contract's `notify` has one parameter.
        await (notifier.notify as (report: Report, attempt: { signal: AbortSignal }) => Promise<void>).call(notifier, report, { signal });
        return { kind: 'sent' };
      } catch (err) {
        return failureOf(err);
      }
    },
    settings: (notifier as PlainNotifierSettings).pipelineOptions ?? {},
    release: (remainingMs) => notifier.close?.(remainingMs),
  };
}

/**
 * How a plain notifier's rejection is read: `permanent: true` is never retried,
 * `retryAfterMs` pauses the queue (a rate limit), anything else is transient.
 */
function failureOf(err: unknown): AttemptResult {
  const fields = { error: messageOf(err) };
  const { permanent, retryAfterMs } = (err !== null && typeof err === 'object' ? err : {}) as { permanent?: unknown; retryAfterMs?: unknown };
  if (permanent === true) return { kind: 'rejected', fields };
  if (typeof retryAfterMs === 'number' && Number.isFinite(retryAfterMs) && retryAfterMs >= 0) return { kind: 'rate-limited', retryAfterMs, fields };
  return { kind: 'transient', fields };
}

export class NotifierPipeline {
  readonly label: string;
  readonly queue: PacedRetryQueue;
  private readonly budgets: Record<ReportKind, AlertBudget>;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly mask: (text: string) => string;
  private readonly last: Partial<Record<ReportKind, Report>> = {};
  private closing: Promise<void> | null = null;
  private summarized = 0;

  constructor(private readonly parts: NotifierParts<any>, settings: PipelineSettings) {
    this.label = parts.label;
    this.logger = settings.logger;
    this.clock = settings.clock;
    this.mask = parts.mask ? (text) => parts.mask!(text) : (text) => text;
    this.queue = new PacedRetryQueue({ ...settings, label: parts.label, mask: this.mask });
    const budget = (kind: ReportKind) => new AlertBudget({ ...settings, kind, onSummary: (summary) => this.sendSummary(summary) });
    this.budgets = { error: budget('error'), 'broken-link': budget('broken-link') };
  }

  get stats(): PipelineStats {
    return { ...this.queue.stats, summarized: this.summarized };
  }

  /** Filters, budgets, formats and queues one report; resolves with what became of it, never rejects. */
  notify(report: Report): Promise<PipelineOutcome> {
    if (this.queue.closed) return this.queue.enqueue({ fields: { reportId: fieldOf(report, 'id') }, send: async () => ({ kind: 'cancelled' }) });
    let message: unknown;
    try {
      if (this.parts.accepts && this.parts.accepts(report) !== true) return Promise.resolve('filtered');
      const kind = announcedKind(report);
      if (!this.budgets[kind].admit(report)) {
        this.summarized++;
        this.last[kind] = report;
        return Promise.resolve('held');
      }
      message = this.parts.format(report);
      this.last[kind] = report;
    } catch (err) {
      this.queue.stats.failed++;
      this.logger.error(`notifier failed: ${this.label} could not take the report; alert not sent`, { reportId: fieldOf(report, 'id'), error: this.mask(messageOf(err)) });
      return Promise.resolve('failed');
    }
    return this.queue.enqueue({ fields: { reportId: fieldOf(report, 'id'), fingerprint: fieldOf(report, 'fingerprint') }, send: (signal) => this.parts.send(message, signal) });
  }

  /**
   * Sends the summary of what each budget holds, waits for the queue (bounded by retries
   * and attempt deadlines, or by `timeoutMs`: then what is left is cancelled), then
   * releases the notifier with what is left of the deadline. Idempotent.
   */
  close(timeoutMs?: number): Promise<void> {
    if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs >= 0)) {
      return Promise.reject(new RangeError(`${this.label} notifier: close deadline must be a non-negative number of ms, got ${String(timeoutMs)}`));
    }
    this.closing ??= this.shutDown(timeoutMs);
    return this.closing;
  }

  /**
   * For a caller whose deadline has come before close() ended: what the queue still holds
   * is cancelled and logged now, before the caller returns (and the process may exit).
   */
  cancelQueued(): Promise<void> {
    return this.queue.cancelNow();
  }

  private async shutDown(timeoutMs: number | undefined): Promise<void> {
    const deadline = timeoutMs === undefined ? undefined : this.clock.now() + timeoutMs;
    const remaining = () => (deadline === undefined ? undefined : Math.max(0, deadline - this.clock.now()));
    this.budgets.error.flush();
    this.budgets['broken-link'].flush();
    await this.queue.close(timeoutMs);
    await this.parts.release?.(remaining());
  }

  private sendSummary(summary: AlertSummary): void {
    try {
      const report = summaryReport(summary, describeSummary(summary), this.last[summary.kind] ?? null, this.clock.now());
      const message = this.parts.format(report);
      void this.queue.enqueue({ fields: { summaryOf: summary.held, kind: summary.kind }, send: (signal) => this.parts.send(message, signal) });
    } catch (err) {
      this.logger.error(`notifier failed: ${this.label} could not build the budget summary`, { error: this.mask(messageOf(err)) });
    }
  }
}

function nameOf(notifier: Notifier): string {
  try {
    const name = notifier.name ?? notifier.constructor?.name;
    return typeof name === 'string' && name && name !== 'Object' ? name : 'notifier';
  } catch {
    return 'notifier';
  }
}

/** A field of a report that may be hostile (a throwing getter, a Proxy), for log lines. */
function fieldOf(report: Report, key: 'id' | 'fingerprint'): unknown {
  try {
    return report?.[key];
  } catch {
    return undefined;
  }
}
