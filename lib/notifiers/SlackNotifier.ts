import type { AxiosInstance } from 'axios';
import { consoleLogger } from '../core/logger';
import type { Report } from '../report/Report';
import { backoffDelay, sleep } from '../core/backoff';
import { checkLinkTemplate } from './issueLink';
import type { Logger } from '../core/logger';
import type { Notifier } from '../delivery/ports';
import { notifierFilter, type NotifierFilterOptions } from './notifierFilter';
import { slackMessage, type SlackMessage } from './slackMessage';
import { createSlackClient, postToSlack, type SlackOutcome, type SlackTarget } from './slackTransport';

export interface SlackNotifierOptions {
  /** Incoming webhook (a secret). Give this, or `token` + `channel` for the Web API. */
  webhookUrl?: string;
  /** Bot token for chat.postMessage (a secret); alerts of one issue are threaded. */
  token?: string;
  channel?: string;
  apiUrl?: string;
  timeoutMs?: number;
  /** Retries after the first attempt, for 429, 5xx and network failures. */
  maxRetries?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Gap between two requests: Slack allows about one message per second per webhook. */
  minIntervalMs?: number;
  /** Messages waiting to be sent; past it the oldest waiting one is dropped. */
  maxQueue?: number;
  /** Fingerprints whose thread is remembered (Web API mode); the oldest are forgotten. */
  maxThreads?: number;
  /** e.g. "https://errors.example.com/issues/{fingerprint}". */
  linkTemplate?: string;
  filter?: NotifierFilterOptions;
  logger?: Logger;
}

export interface SlackNotifierStats {
  sent: number;
  /** Attempts after the first, all messages together. */
  retried: number;
  /** Given up: rejected by Slack or out of retries. */
  failed: number;
  /** Never attempted to the end: queue overflow, or cancelled by close(). */
  dropped: number;
  /** 429 answers received. */
  rateLimited: number;
}

const defaults = {
  webhookUrl: undefined as string | undefined,
  token: undefined as string | undefined,
  channel: undefined as string | undefined,
  apiUrl: 'https://slack.com/api',
  timeoutMs: 5000,
  maxRetries: 5,
  retryBaseMs: 1000,
  retryMaxMs: 60_000,
  minIntervalMs: 1000,
  maxQueue: 100,
  maxThreads: 1000,
  linkTemplate: undefined as string | undefined,
  filter: {} as NotifierFilterOptions,
  logger: consoleLogger as Logger,
};

interface Job {
  report: Report;
  message: SlackMessage;
  done: () => void;
}

/**
 * Announces reports in Slack, through an incoming webhook or chat.postMessage.
 * Messages go out one at a time from a bounded FIFO queue, paced under Slack's rate
 * limit; 429 pauses the whole queue for Retry-After, transient failures are retried
 * with backoff, and a message Slack rejects is logged once with Slack's code.
 * `notify` never rejects: it resolves when the message is sent or given up.
 */
export class SlackNotifier implements Notifier {
  readonly name = 'slack';
  readonly stats: SlackNotifierStats = { sent: 0, retried: 0, failed: 0, dropped: 0, rateLimited: 0 };
  readonly accepts: (report: Report) => boolean;

  /** A notifier for SLACK_WEBHOOK_URL, or null when it is unset or blank. */
  static fromEnv(env: NodeJS.ProcessEnv = process.env, options: SlackNotifierOptions = {}): SlackNotifier | null {
    const webhookUrl = env.SLACK_WEBHOOK_URL?.trim();
    return webhookUrl ? new SlackNotifier({ ...options, webhookUrl }) : null;
  }

  private readonly opts: typeof defaults;
  private readonly target: SlackTarget;
  private readonly client: AxiosInstance;
  private readonly logger: Logger;
  private readonly secrets: string[];
  private readonly queue: Job[] = [];
  private readonly threads = new Map<string, string>();
  private readonly cancel = new AbortController();
  private idleWaiters: Array<() => void> = [];
  private running = false;
  private closed = false;
  private nextSendAt = 0;

  constructor(options: SlackNotifierOptions = {}) {
    if (options === null || typeof options !== 'object') throw new TypeError('SlackNotifier: options must be an object');
    const opts = { ...defaults, ...withoutUndefined(options) };
    this.opts = opts;
    this.logger = opts.logger;
    checkLogger(opts.logger);

    const apiMode = opts.token !== undefined || opts.channel !== undefined;
    if (apiMode) {
      if (opts.webhookUrl !== undefined) throw new TypeError('SlackNotifier: give either webhookUrl or token + channel, not both');
      if (typeof opts.token !== 'string' || !opts.token.trim()) throw new TypeError('SlackNotifier: token must be a non-empty string (Web API mode needs token and channel)');
      if (typeof opts.channel !== 'string' || !opts.channel.trim()) throw new TypeError('SlackNotifier: channel must be a non-empty string (Web API mode needs token and channel)');
      checkHttpUrl(opts.apiUrl, 'apiUrl', this.logger);
      this.target = { url: `${opts.apiUrl.replace(/\/+$/, '')}/chat.postMessage`, token: opts.token };
      this.secrets = [opts.token];
    } else {
      if (opts.webhookUrl === undefined) throw new TypeError('SlackNotifier: webhookUrl is required (or token + channel for the Web API)');
      checkHttpUrl(opts.webhookUrl, 'webhookUrl', this.logger);
      this.target = { url: opts.webhookUrl };
      // The path holds the secret; mask it on its own too, in case a message quotes only the path.
      this.secrets = [opts.webhookUrl, new URL(opts.webhookUrl).pathname].filter((s) => s.length > 1);
    }

    checkInteger(opts.timeoutMs, 'timeoutMs', 1);
    checkInteger(opts.maxRetries, 'maxRetries', 0);
    checkInteger(opts.retryBaseMs, 'retryBaseMs', 0);
    checkInteger(opts.retryMaxMs, 'retryMaxMs', opts.retryBaseMs);
    checkInteger(opts.minIntervalMs, 'minIntervalMs', 0);
    checkInteger(opts.maxQueue, 'maxQueue', 1);
    checkInteger(opts.maxThreads, 'maxThreads', 1);
    if (opts.linkTemplate !== undefined) checkLinkTemplate(opts.linkTemplate, 'SlackNotifier');

    this.accepts = notifierFilter(opts.filter);
    this.client = createSlackClient(opts.timeoutMs);
  }

  notify(report: Report): Promise<void> {
    if (this.closed) {
      this.stats.dropped++;
      this.logger.warn('Slack notifier is closed; alert not sent', { reportId: report?.id });
      return Promise.resolve();
    }
    let message: SlackMessage;
    try {
      message = slackMessage(report, { linkTemplate: this.opts.linkTemplate });
    } catch (err) {
      this.stats.failed++;
      this.logger.error('Slack message could not be built; alert not sent', { reportId: report?.id, error: this.mask(String(err)) });
      return Promise.resolve();
    }

    return new Promise<void>((resolve) => {
      if (this.queue.length >= this.opts.maxQueue) {
        const oldest = this.queue.shift()!;
        this.stats.dropped++;
        this.logger.warn('Slack queue full; dropped the oldest waiting alert', { maxQueue: this.opts.maxQueue, reportId: oldest.report.id, dropped: this.stats.dropped });
        oldest.done();
      }
      this.queue.push({ report, message, done: resolve });
      if (!this.running) {
        this.running = true;
        void this.run();
      }
    });
  }

  /**
   * Waits for queued messages (bounded by retries and timeouts), or at most
   * `deadlineMs` when given; what is still waiting then is cancelled and counted.
   */
  async close(deadlineMs?: number): Promise<void> {
    if (deadlineMs !== undefined && !(Number.isFinite(deadlineMs) && deadlineMs >= 0)) {
      throw new RangeError(`SlackNotifier: close deadline must be a non-negative number of ms, got ${String(deadlineMs)}`);
    }
    this.closed = true;
    const idle = this.idle();
    if (deadlineMs === undefined) return idle;
    let finished = false;
    await Promise.race([idle.then(() => { finished = true; }), sleep(deadlineMs)]);
    if (finished || !this.running) return;
    this.cancel.abort();
    await idle;
  }

  private idle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async run(): Promise<void> {
    try {
      while (this.queue.length > 0 && !this.cancel.signal.aborted) {
        const job = this.queue.shift()!;
        try {
          await this.deliver(job);
        } catch (err) {
          // deliver() classifies every Slack answer; reaching here is a bug, not Slack.
          this.stats.failed++;
          this.logger.error('Slack alert failed unexpectedly', { reportId: job.report.id, error: this.mask(String(err)) });
        }
        job.done();
      }
      if (this.queue.length > 0) {
        const cancelled = this.queue.splice(0);
        this.stats.dropped += cancelled.length;
        this.logger.warn('Slack notifier closed; waiting alerts cancelled', { cancelled: cancelled.length });
        for (const job of cancelled) job.done();
      }
    } finally {
      this.running = false;
      const waiters = this.idleWaiters.splice(0);
      for (const wake of waiters) wake();
    }
  }

  private async deliver(job: Job): Promise<void> {
    const { report } = job;
    for (let attempt = 0; ; attempt++) {
      await sleep(this.nextSendAt - Date.now(), this.cancel.signal);
      if (this.cancel.signal.aborted) return this.cancelled(job);

      const outcome = await postToSlack(this.client, this.target, this.payload(job), this.cancel.signal);
      // Counted from Slack's answer, not from our send: Slack saw the request before it
      // answered, so the gaps Slack measures are never shorter than minIntervalMs.
      this.nextSendAt = Date.now() + this.opts.minIntervalMs;
      if (outcome.kind === 'sent') {
        this.stats.sent++;
        this.rememberThread(report.fingerprint, outcome.ts);
        return;
      }
      if (outcome.kind === 'cancelled') return this.cancelled(job);
      if (outcome.kind === 'rejected') {
        this.stats.failed++;
        this.logger.error('Slack rejected the alert; not retried', this.fields(job, outcome, attempt));
        return;
      }

      // Rate limited: it is the webhook (or token) that is limited, so the whole
      // queue waits; Slack may disable apps that keep sending.
      const wait = outcome.kind === 'rate-limited'
        ? outcome.retryAfterMs
        : backoffDelay(attempt, { baseMs: this.opts.retryBaseMs, maxMs: this.opts.retryMaxMs });
      if (outcome.kind === 'rate-limited') this.stats.rateLimited++;
      this.nextSendAt = Math.max(this.nextSendAt, Date.now() + wait);
      if (attempt >= this.opts.maxRetries) {
        this.stats.failed++;
        this.logger.error('Slack alert given up after retries', this.fields(job, outcome, attempt));
        return;
      }
      this.stats.retried++;
      this.logger.warn('Slack alert failed; will retry', { ...this.fields(job, outcome, attempt), retryInMs: Math.max(0, this.nextSendAt - Date.now()) });
    }
  }

  private payload(job: Job): Record<string, unknown> {
    if (!this.target.token) return { ...job.message };
    // Looked up at send time: the first alert of a fingerprint may still have been queued when this one was.
    const threadTs = this.threads.get(job.report.fingerprint);
    return { channel: this.opts.channel, ...job.message, ...(threadTs ? { thread_ts: threadTs } : {}) };
  }

  private rememberThread(fingerprint: string, ts: string | null): void {
    if (!this.target.token || !ts || this.threads.has(fingerprint)) return;
    this.threads.set(fingerprint, ts);
    if (this.threads.size > this.opts.maxThreads) {
      this.threads.delete(this.threads.keys().next().value!);
    }
  }

  private cancelled(job: Job): void {
    this.stats.dropped++;
    this.logger.warn('Slack notifier closed; alert in progress cancelled', { reportId: job.report.id });
  }

  private fields(job: Job, outcome: Exclude<SlackOutcome, { kind: 'sent' } | { kind: 'cancelled' }>, attempt: number): Record<string, unknown> {
    return {
      status: outcome.status,
      code: this.mask(outcome.code),
      attempts: attempt + 1,
      reportId: job.report.id,
      fingerprint: job.report.fingerprint,
    };
  }

  private mask(text: string): string {
    return this.secrets.reduce((masked, secret) => masked.split(secret).join('[secret]'), text);
  }
}

function withoutUndefined<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}

function checkInteger(value: unknown, name: string, min: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new RangeError(`SlackNotifier: ${name} must be an integer >= ${min}, got ${String(value)}`);
  }
}

function checkLogger(logger: unknown): void {
  const l = logger as Partial<Logger> | null;
  if (!l || typeof l.info !== 'function' || typeof l.warn !== 'function' || typeof l.error !== 'function') {
    throw new TypeError('SlackNotifier: logger must have info, warn and error methods');
  }
}

// The URL is a secret: errors and warnings name the option, never the value.
function checkHttpUrl(value: unknown, name: string, logger: Logger): void {
  let url: URL;
  try {
    if (typeof value !== 'string') throw new TypeError();
    url = new URL(value);
  } catch {
    throw new TypeError(`SlackNotifier: ${name} must be an http(s) URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(`SlackNotifier: ${name} must be an http(s) URL`);
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    logger.warn(`SlackNotifier: ${name} uses plain http to a non-loopback host; the secret travels unencrypted`);
  }
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}
