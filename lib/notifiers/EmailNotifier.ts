import nodemailer, { type SMTPTransportOptions, type Transporter } from 'nodemailer';
import { consoleLogger } from '../core/logger';
import type { Report } from '../report/Report';
import { backoffDelay, sleep } from '../core/backoff';
import { emailSubject } from './emailSubject';
import type { Logger } from '../core/logger';
import type { Notifier } from '../delivery/ports';
import { notifierFilter, type NotifierFilterOptions } from './notifierFilter';
import { renderHtml } from './renderHtml';
import { renderText } from './renderText';

export interface EmailNotifierOptions {
  /** A nodemailer transporter you own (closed by you), or `smtp` options for one made here. */
  transport?: Transporter;
  smtp?: SMTPTransportOptions;
  from?: string;
  to?: string | string[];
  subjectPrefix?: string;
  /** Requests from these IPs are "(internal IP)" in the subject, as Django's INTERNAL_IPS. */
  internalIps?: string[];
  renderText?: (report: Report) => string;
  renderHtml?: (report: Report) => string;
  filter?: NotifierFilterOptions;
  /** Retries after the first attempt, for connection failures and 4xx SMTP replies. */
  maxRetries?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  logger?: Logger;
}

export interface EmailNotifierStats {
  sent: number;
  retried: number;
  failed: number;
}

const defaults = {
  transport: undefined as Transporter | undefined,
  smtp: undefined as SMTPTransportOptions | undefined,
  from: undefined as string | undefined,
  to: undefined as string | string[] | undefined,
  subjectPrefix: '[koa-tripwire] ',
  internalIps: ['127.0.0.1', '::1', '::ffff:127.0.0.1'],
  renderText,
  renderHtml,
  filter: {} as NotifierFilterOptions,
  maxRetries: 3,
  retryBaseMs: 1000,
  retryMaxMs: 30_000,
  logger: consoleLogger as Logger,
};

// No SMTP reply at all: the server may be back in a moment.
const TRANSIENT_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'EPROXY', 'ECONNREFUSED', 'ECONNRESET']);

interface SmtpError {
  code?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

/**
 * Mails reports to people, Django style (ADMINS for errors, MANAGERS for broken links:
 * use two notifiers with `filter.kinds`). Transient SMTP failures are retried with
 * backoff; a permanent (5xx) refusal is logged and given up. `notify` never rejects.
 */
export class EmailNotifier implements Notifier {
  readonly name = 'email';
  readonly stats: EmailNotifierStats = { sent: 0, retried: 0, failed: 0 };
  readonly accepts: (report: Report) => boolean;

  private readonly opts: typeof defaults & { from: string; to: string[] };
  private readonly transport: Transporter;
  private readonly ownsTransport: boolean;
  private readonly pending = new Set<Promise<void>>();
  private readonly cancel = new AbortController();

  constructor(options: EmailNotifierOptions = {}) {
    if (options === null || typeof options !== 'object') throw new TypeError('EmailNotifier: options must be an object');
    const opts = { ...defaults, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as typeof defaults;

    const to = typeof opts.to === 'string' ? [opts.to] : opts.to;
    if (!Array.isArray(to) || to.length === 0 || !to.every((address) => typeof address === 'string' && address.trim() !== '')) {
      throw new TypeError('EmailNotifier: to must be a non-empty address or a non-empty array of addresses');
    }
    if (typeof opts.from !== 'string' || opts.from.trim() === '') throw new TypeError('EmailNotifier: from must be a non-empty address');
    if (opts.transport && opts.smtp) throw new TypeError('EmailNotifier: give either transport or smtp, not both');
    if (!opts.transport && !opts.smtp) throw new TypeError('EmailNotifier: transport (a nodemailer transporter) or smtp (SMTP options) is required');
    if (opts.transport && typeof opts.transport.sendMail !== 'function') throw new TypeError('EmailNotifier: transport must be a nodemailer transporter');
    if (typeof opts.subjectPrefix !== 'string') throw new TypeError('EmailNotifier: subjectPrefix must be a string');
    if (!Array.isArray(opts.internalIps) || !opts.internalIps.every((ip) => typeof ip === 'string')) {
      throw new TypeError('EmailNotifier: internalIps must be an array of strings');
    }
    if (typeof opts.renderText !== 'function') throw new TypeError('EmailNotifier: renderText must be a function');
    if (typeof opts.renderHtml !== 'function') throw new TypeError('EmailNotifier: renderHtml must be a function');
    checkInteger(opts.maxRetries, 'maxRetries', 0);
    checkInteger(opts.retryBaseMs, 'retryBaseMs', 0);
    checkInteger(opts.retryMaxMs, 'retryMaxMs', opts.retryBaseMs);
    const logger = opts.logger as Partial<Logger> | null;
    if (!logger || typeof logger.info !== 'function' || typeof logger.warn !== 'function' || typeof logger.error !== 'function') {
      throw new TypeError('EmailNotifier: logger must have info, warn and error methods');
    }

    this.opts = { ...opts, from: opts.from, to };
    this.accepts = notifierFilter(opts.filter);
    this.ownsTransport = !opts.transport;
    this.transport = opts.transport ?? nodemailer.createTransport(opts.smtp!);
  }

  notify(report: Report): Promise<void> {
    const sending = this.send(report).catch((err: unknown) => {
      // send() handles SMTP failures; this is a renderer or a bug.
      this.stats.failed++;
      this.opts.logger.error('Email alert failed', { reportId: report?.id, error: String(err) });
    });
    this.pending.add(sending);
    void sending.finally(() => this.pending.delete(sending));
    return sending;
  }

  /** Waits for mails being sent (bounded by retries), then closes a transport made from `smtp`. */
  async close(): Promise<void> {
    await Promise.all([...this.pending]);
    this.cancel.abort();
    if (this.ownsTransport) this.transport.close();
  }

  private async send(report: Report): Promise<void> {
    const { logger, maxRetries, retryBaseMs, retryMaxMs } = this.opts;
    const mail = {
      from: this.opts.from,
      to: this.opts.to,
      subject: emailSubject(report, { prefix: this.opts.subjectPrefix, internalIps: this.opts.internalIps }),
      text: this.opts.renderText(report),
      html: this.opts.renderHtml(report),
    };
    for (let attempt = 0; ; attempt++) {
      try {
        await this.transport.sendMail(mail);
        this.stats.sent++;
        return;
      } catch (err) {
        const smtp = err as SmtpError;
        const fields = { reportId: report.id, attempts: attempt + 1, code: smtp.code, responseCode: smtp.responseCode, response: smtp.response ?? smtp.message };
        if (!isTransient(smtp)) {
          this.stats.failed++;
          logger.error('Email alert refused by the mail server; not retried', fields);
          return;
        }
        if (attempt >= maxRetries || this.cancel.signal.aborted) {
          this.stats.failed++;
          logger.error('Email alert given up after retries', fields);
          return;
        }
        this.stats.retried++;
        const wait = backoffDelay(attempt, { baseMs: retryBaseMs, maxMs: retryMaxMs });
        logger.warn('Email alert failed; will retry', { ...fields, retryInMs: wait });
        await sleep(wait, this.cancel.signal);
      }
    }
  }
}

// SMTP 4xx means "try again later"; 5xx means "never"; no reply at all is a network failure.
function isTransient(err: SmtpError): boolean {
  if (typeof err.responseCode === 'number') return err.responseCode >= 400 && err.responseCode < 500;
  return typeof err.code === 'string' && TRANSIENT_CODES.has(err.code);
}

function checkInteger(value: unknown, name: string, min: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new RangeError(`EmailNotifier: ${name} must be an integer >= ${min}, got ${String(value)}`);
  }
}
