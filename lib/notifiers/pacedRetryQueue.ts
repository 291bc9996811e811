import { backoffDelay, sleep } from '../core/backoff';
import { realClock, type Clock, type ClockTimer } from '../core/clock';
import { messageOf } from '../core/errors';
import type { Logger } from '../core/logger';

/** What one attempt to send a message came to, in the terms the retry policy needs. */
export type AttemptResult =
  | { kind: 'sent' }
  /** No answer, or "try again later" (Slack 5xx, SMTP 4xx): retried with backoff. */
  | { kind: 'transient'; fields: LogFields }
  /** The sender is over its rate: the whole queue waits `retryAfterMs`. */
  | { kind: 'rate-limited'; retryAfterMs: number; fields: LogFields }
  /** The message or the configuration is wrong: retrying cannot help. */
  | { kind: 'rejected'; fields: LogFields }
  | { kind: 'cancelled' };

export type LogFields = Record<string, unknown>;

export interface QueuedMessage {
  /** What identifies the message in logs (report id, fingerprint), never its content. */
  fields: LogFields;
  /** One attempt; `signal` aborts at the attempt's timeout or at the close deadline. */
  send(signal: AbortSignal): Promise<AttemptResult>;
}

/** What became of a queued message. */
export type QueueOutcome = 'sent' | 'failed' | 'dropped';

export interface PacedRetryQueueOptions {
  /** Gap between two attempts, counted from the answer (Slack allows about one message per second). */
  minIntervalMs: number;
  /** Messages waiting to be sent; past it the oldest waiting one is dropped. */
  maxQueue: number;
  /** Retries after the first attempt, for transient failures. */
  maxRetries: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** Deadline of one attempt (one HTTP request, one SMTP transaction, one call). */
  timeoutMs: number;
  /** Who is sending ("Slack", "Email", a notifier's name): named in every log line. */
  label: string;
  logger: Logger;
  clock?: Clock;
  /** Jitter source for the backoff, in [0, 1). */
  random?: () => number;
  /** Hides secrets (a webhook URL, a token) in every string that is logged. */
  mask?: (text: string) => string;
}

export interface PacedQueueStats {
  sent: number;
  /** Attempts after the first, all messages together. */
  retried: number;
  /** Given up: rejected, or out of retries. */
  failed: number;
  /** Never attempted to the end: queue overflow, sent after close, or cancelled at the close deadline. */
  dropped: number;
  /** Rate-limit answers received (Slack's 429). */
  rateLimited: number;
}

interface Job {
  message: QueuedMessage;
  done: (outcome: QueueOutcome) => void;
}

/**
 * One message at a time from a bounded FIFO queue, paced `minIntervalMs` apart; a
 * rate-limit answer pauses the whole queue for Retry-After (Slack may disable apps that
 * keep sending), transient failures are retried with jittered backoff, a rejection is
 * logged once. Every attempt has its own deadline and `close(deadlineMs)` cancels what
 * is left at the deadline, so nothing waits forever. Timers go through the clock.
 */
export class PacedRetryQueue {
  readonly stats: PacedQueueStats = { sent: 0, retried: 0, failed: 0, dropped: 0, rateLimited: 0 };
  private readonly waiting: Job[] = [];
  private readonly cancel = new AbortController();
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly mask: (text: string) => string;
  private idleWaiters: Array<() => void> = [];
  private running = false;
  private closing = false;
  private nextSendAt = 0;

  constructor(private readonly opts: PacedRetryQueueOptions) {
    this.clock = opts.clock ?? realClock;
    this.random = opts.random ?? Math.random;
    this.mask = opts.mask ?? ((text) => text);
  }

  /** Messages waiting (not counting the one being sent). */
  get length(): number {
    return this.waiting.length;
  }

  get closed(): boolean {
    return this.closing;
  }

  /** Resolves with what became of the message once it is sent or given up; never rejects. */
  enqueue(message: QueuedMessage): Promise<QueueOutcome> {
    if (this.closing) {
      this.stats.dropped++;
      this.opts.logger.warn(`${this.opts.label} notifier is closed; alert not sent`, this.logFields(message.fields));
      return Promise.resolve('dropped');
    }
    return new Promise<QueueOutcome>((resolve) => {
      if (this.waiting.length >= this.opts.maxQueue) {
        const oldest = this.waiting.shift()!;
        this.stats.dropped++;
        this.opts.logger.warn(`${this.opts.label} queue full; dropped the oldest waiting alert`, {
          maxQueue: this.opts.maxQueue, ...this.logFields(oldest.message.fields), dropped: this.stats.dropped,
        });
        oldest.done('dropped');
      }
      this.waiting.push({ message, done: resolve });
      if (!this.running) {
        this.running = true;
        void this.run();
      }
    });
  }

  /**
   * Waits for the queue (bounded by retries and attempt timeouts), or at most
   * `deadlineMs` when given: then what is left is cancelled, counted and logged.
   */
  async close(deadlineMs?: number): Promise<void> {
    if (deadlineMs !== undefined && !(Number.isFinite(deadlineMs) && deadlineMs >= 0)) {
      throw new RangeError(`${this.opts.label}Notifier: close deadline must be a non-negative number of ms, got ${String(deadlineMs)}`);
    }
    this.closing = true;
    const idle = this.idle();
    if (deadlineMs === undefined) return idle;
    const deadline = new AbortController();
    let finished = false;
    await Promise.race([idle.then(() => { finished = true; }), sleep(deadlineMs, deadline.signal, this.clock)]);
    deadline.abort();
    if (finished || !this.running) return;
    this.cancel.abort();
    await idle;
  }

  /**
   * Gives up at once what is left: the message being sent and those waiting are cancelled,
   * counted and logged before this resolves. No timer is waited on (every pause and
   * attempt is raced against the cancel signal), so a caller out of time can still have
   * what it gave up logged before it returns. Closes the queue.
   */
  cancelNow(): Promise<void> {
    this.closing = true;
    this.cancel.abort();
    return this.idle();
  }

  private idle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async run(): Promise<void> {
    try {
      while (this.waiting.length > 0 && !this.cancel.signal.aborted) {
        const job = this.waiting.shift()!;
        job.done(await this.deliver(job.message));
      }
      if (this.waiting.length > 0) {
        const cancelled = this.waiting.splice(0);
        this.stats.dropped += cancelled.length;
        this.opts.logger.warn(`${this.opts.label} notifier closed; waiting alerts cancelled`, { cancelled: cancelled.length, label: this.opts.label });
        for (const job of cancelled) job.done('dropped');
      }
    } finally {
      this.running = false;
      for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  private async deliver(message: QueuedMessage): Promise<QueueOutcome> {
    const { logger, label } = this.opts;
    for (let attempt = 0; ; attempt++) {
      await sleep(this.nextSendAt - this.clock.now(), this.cancel.signal, this.clock);
      if (this.cancel.signal.aborted) return this.cancelled(message);

      const result = await this.attempt(message);
      // Counted from the answer, not from the send: the receiver saw the request before
      // it answered, so the gaps it measures are never shorter than minIntervalMs.
      this.nextSendAt = this.clock.now() + this.opts.minIntervalMs;
      if (result.kind === 'sent') {
        this.stats.sent++;
        return 'sent';
      }
      if (result.kind === 'cancelled') return this.cancelled(message);
      const fields = { ...this.logFields(result.fields), attempts: attempt + 1, ...this.logFields(message.fields) };
      if (result.kind === 'rejected') {
        this.stats.failed++;
        logger.error(`notifier failed: ${label} rejected the alert; not retried`, fields);
        return 'failed';
      }
      const wait = result.kind === 'rate-limited'
        ? result.retryAfterMs
        : backoffDelay(attempt, { baseMs: this.opts.retryBaseMs, maxMs: this.opts.retryMaxMs }, this.random);
      if (result.kind === 'rate-limited') this.stats.rateLimited++;
      this.nextSendAt = Math.max(this.nextSendAt, this.clock.now() + wait);
      if (attempt >= this.opts.maxRetries) {
        this.stats.failed++;
        logger.error(`notifier failed: ${label} gave the alert up after ${attempt + 1} ${attempt === 0 ? 'attempt' : 'attempts'}`, fields);
        return 'failed';
      }
      this.stats.retried++;
      logger.warn(`${label} alert failed; will retry`, { ...fields, retryInMs: Math.max(0, this.nextSendAt - this.clock.now()) });
    }
  }

  /** One attempt raced against its own timeout and the close deadline; never throws. */
  private attempt(message: QueuedMessage): Promise<AttemptResult> {
    const controller = new AbortController();
    return new Promise<AttemptResult>((resolve) => {
      let timer: ClockTimer | undefined;
      let settled = false;
      const finish = (result: AttemptResult) => {
        if (settled) return;
        settled = true;
        this.clock.clearTimeout(timer);
        this.cancel.signal.removeEventListener('abort', onClose);
        controller.abort();
        resolve(result);
      };
      const onClose = () => finish({ kind: 'cancelled' });
      this.cancel.signal.addEventListener('abort', onClose, { once: true });
      timer = this.clock.setTimeout(() => finish({ kind: 'transient', fields: { status: null, code: 'ETIMEDOUT', timeoutMs: this.opts.timeoutMs } }), this.opts.timeoutMs);
      let sending: Promise<AttemptResult>;
      try {
        sending = Promise.resolve(message.send(controller.signal));
      } catch (err) {
        sending = Promise.reject(err);
      }
      // The sender classifies every answer; reaching the catch is a bug, not the receiver.
      sending.then(finish, (err: unknown) => finish({ kind: 'rejected', fields: { code: 'send_failed', error: messageOf(err) } }));
    });
  }

  private cancelled(message: QueuedMessage): QueueOutcome {
    this.stats.dropped++;
    this.opts.logger.warn(`${this.opts.label} notifier closed; alert in progress cancelled`, this.logFields(message.fields));
    return 'dropped';
  }

  private logFields(fields: LogFields): LogFields {
    return Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, typeof value === 'string' ? this.mask(value) : value]));
  }
}
