import nodemailer, { type SMTPTransportOptions, type Transporter } from 'nodemailer';
import { consoleLogger } from '../../core/logger';
import { rejectUnknownKeys } from '../../core/options';
import type { Notifier } from '../../ports';
import type { Report } from '../../report/Report';
import { notifierFilter, type NotifierFilterOptions } from '../notifierFilter';
import { NotifierPipeline, QUEUED_NOTIFIER_KEYS, pipelineSettings, type QueuedNotifierOptions, type QueuedNotifierStats } from '../notifierPipeline';
import { renderHtml } from './emailHtml';
import { emailSubject } from './emailSubject';
import { emailSummary } from './emailSummary';
import { renderText } from './emailText';
import { sendMailOnce, type Mail } from './smtpAttempt';

export interface EmailNotifierOptions extends QueuedNotifierOptions {
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
}

export type EmailNotifierStats = QueuedNotifierStats;

// Mail servers throttle senders too; the same pace as Slack keeps a flood out of inboxes.
const emailPacing = { minIntervalMs: 1000, maxRetries: 3, retryBaseMs: 1000, retryMaxMs: 30_000, timeoutMs: 30_000 };
const defaults = {
  subjectPrefix: '[koa-tripwire] ',
  internalIps: ['127.0.0.1', '::1', '::ffff:127.0.0.1'],
  renderText,
  renderHtml,
  filter: {} as NotifierFilterOptions,
};
const OWN_KEYS = ['transport', 'smtp', 'from', 'to', ...Object.keys(defaults)];
const WHERE = 'EmailNotifier';

/**
 * Mails reports to people, Django style (ADMINS for errors, MANAGERS for broken links:
 * use two notifiers with `filter.kinds`), one at a time from the shared paced retry
 * queue within the alert budget. Transient SMTP failures are retried with backoff; a
 * permanent (5xx) refusal is logged and given up. `notify` never rejects.
 */
export class EmailNotifier implements Notifier {
  readonly name = 'email';
  readonly accepts: (report: Report) => boolean;

  private readonly opts: typeof defaults & { from: string; to: string[] };
  private readonly transport: Transporter;
  private readonly ownsTransport: boolean;
  private readonly pipeline: NotifierPipeline;

  constructor(options: EmailNotifierOptions = {}) {
    if (options === null || typeof options !== 'object') throw new TypeError(`${WHERE}: options must be an object`);
    rejectUnknownKeys(WHERE, options, [...OWN_KEYS, ...QUEUED_NOTIFIER_KEYS]);
    const settings = pipelineSettings(WHERE, options, emailPacing, options.logger ?? consoleLogger);
    const opts = { ...defaults, ...Object.fromEntries(Object.entries(options).filter(([key, v]) => v !== undefined && key in defaults)) } as typeof defaults;
    const { transport, smtp, from } = options;

    const to = typeof options.to === 'string' ? [options.to] : options.to;
    if (!Array.isArray(to) || to.length === 0 || !to.every((address) => typeof address === 'string' && address.trim() !== '')) {
      throw new TypeError(`${WHERE}: to must be a non-empty address or a non-empty array of addresses`);
    }
    if (typeof from !== 'string' || from.trim() === '') throw new TypeError(`${WHERE}: from must be a non-empty address`);
    if (transport && smtp) throw new TypeError(`${WHERE}: give either transport or smtp, not both`);
    if (!transport && !smtp) throw new TypeError(`${WHERE}: transport (a nodemailer transporter) or smtp (SMTP options) is required`);
    if (transport && typeof transport.sendMail !== 'function') throw new TypeError(`${WHERE}: transport must be a nodemailer transporter`);
    if (typeof opts.subjectPrefix !== 'string') throw new TypeError(`${WHERE}: subjectPrefix must be a string`);
    if (!Array.isArray(opts.internalIps) || !opts.internalIps.every((ip) => typeof ip === 'string')) {
      throw new TypeError(`${WHERE}: internalIps must be an array of strings`);
    }
    if (typeof opts.renderText !== 'function') throw new TypeError(`${WHERE}: renderText must be a function`);
    if (typeof opts.renderHtml !== 'function') throw new TypeError(`${WHERE}: renderHtml must be a function`);

    this.opts = { ...opts, from, to };
    this.accepts = notifierFilter(opts.filter);
    this.ownsTransport = !transport;
    // Each SMTP step of a transport made here is bounded by the attempt timeout.
    const { timeoutMs } = settings;
    this.transport = transport ?? nodemailer.createTransport({ connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs, ...smtp });
    this.pipeline = new NotifierPipeline('Email', settings, (summary) => {
      const mail = { from: this.opts.from, to: this.opts.to, ...emailSummary(summary, this.opts.subjectPrefix) };
      return { fields: { summaryOf: summary.held }, send: () => sendMailOnce(this.transport, mail) };
    });
  }

  get stats(): EmailNotifierStats {
    return this.pipeline.stats;
  }

  notify(report: Report): Promise<void> {
    return this.pipeline.send(report, (r) => {
      // Rendered now, so a renderer that throws is logged at once and never queued.
      const mail: Mail = {
        from: this.opts.from,
        to: this.opts.to,
        subject: emailSubject(r, { prefix: this.opts.subjectPrefix, internalIps: this.opts.internalIps }),
        text: this.opts.renderText(r),
        html: this.opts.renderHtml(r),
      };
      return { fields: { reportId: r.id, fingerprint: r.fingerprint }, send: () => sendMailOnce(this.transport, mail) };
    });
  }

  /** Waits for queued mails (bounded by retries, or by `timeoutMs`), then closes a transport made from `smtp`. */
  async close(timeoutMs?: number): Promise<void> {
    try {
      await this.pipeline.close(timeoutMs);
    } finally {
      if (this.ownsTransport) this.transport.close();
    }
  }
}
