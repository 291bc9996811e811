import nodemailer, { type SMTPTransportOptions, type Transporter } from 'nodemailer';
import type { Report } from '../../report/Report';
import type { NotifierFilterOptions } from '../notifierFilter';
import { readNotifierOptions, type PipelineOptions, type PipelineStats } from '../notifierPipeline';
import { PipelinedNotifier } from '../PipelinedNotifier';
import { renderHtml } from './emailHtml';
import { emailSubject } from './emailSubject';
import { emailSummary } from './emailSummary';
import { renderText } from './emailText';
import { sendMailOnce, type Mail } from './smtpAttempt';

const emailDefaults = {
  /** A nodemailer transporter you own (closed by you), or `smtp` options for one made here. */
  transport: undefined as Transporter | undefined,
  smtp: undefined as SMTPTransportOptions | undefined,
  from: undefined as string | undefined,
  to: undefined as string | string[] | undefined,
  subjectPrefix: '[koa-tripwire] ',
  /** Requests from these IPs are "(internal IP)" in the subject, as Django's INTERNAL_IPS. */
  internalIps: ['127.0.0.1', '::1', '::ffff:127.0.0.1'],
  renderText: renderText as (report: Report) => string,
  renderHtml: renderHtml as (report: Report) => string,
  filter: undefined as NotifierFilterOptions | undefined,
  // Mail servers throttle senders too; the same pace as Slack keeps a flood out of inboxes.
  minIntervalMs: 1000, maxRetries: 3, retryBaseMs: 1000, retryMaxMs: 30_000, timeoutMs: 30_000,
};

/** Email's own options, plus the pipeline's (budget, pacing, retries, clock, logger). */
export type EmailNotifierOptions = Partial<typeof emailDefaults> & PipelineOptions;
export type EmailNotifierStats = PipelineStats;

const WHERE = 'EmailNotifier';

/**
 * Mails reports to people, Django style (ADMINS for errors, MANAGERS for broken links:
 * use two notifiers with `filter.kinds`). Its parts are the mail of a report and one SMTP
 * transaction, classified (4xx and no answer are transient, 5xx is final); the pipeline
 * filters, budgets, paces and retries. `notify` never rejects.
 */
export class EmailNotifier extends PipelinedNotifier<Mail> {
  readonly name = 'email';

  constructor(options: EmailNotifierOptions = {}) {
    const { opts, pipelineOptions, settings } = readNotifierOptions(WHERE, emailDefaults, options);
    super(opts.filter);
    const { timeoutMs } = settings;
    const { transport, smtp, from, subjectPrefix, internalIps } = opts;

    const to = typeof opts.to === 'string' ? [opts.to] : opts.to;
    if (!Array.isArray(to) || to.length === 0 || !to.every((address) => typeof address === 'string' && address.trim() !== '')) {
      throw new TypeError(`${WHERE}: to must be a non-empty address or a non-empty array of addresses`);
    }
    if (typeof from !== 'string' || from.trim() === '') throw new TypeError(`${WHERE}: from must be a non-empty address`);
    if (transport && smtp) throw new TypeError(`${WHERE}: give either transport or smtp, not both`);
    if (!transport && !smtp) throw new TypeError(`${WHERE}: transport (a nodemailer transporter) or smtp (SMTP options) is required`);
    if (transport && typeof transport.sendMail !== 'function') throw new TypeError(`${WHERE}: transport must be a nodemailer transporter`);
    if (typeof subjectPrefix !== 'string') throw new TypeError(`${WHERE}: subjectPrefix must be a string`);
    if (!Array.isArray(internalIps) || !internalIps.every((ip) => typeof ip === 'string')) {
      throw new TypeError(`${WHERE}: internalIps must be an array of strings`);
    }
    if (typeof opts.renderText !== 'function') throw new TypeError(`${WHERE}: renderText must be a function`);
    if (typeof opts.renderHtml !== 'function') throw new TypeError(`${WHERE}: renderHtml must be a function`);

    // Each SMTP step of a transport made here is bounded by the attempt timeout.
    const mailer = transport ?? nodemailer.createTransport({ connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs, ...smtp });
    this.parts = {
      label: 'Email',
      accepts: this.accepts,
      // Rendered before queuing, so a renderer that throws is logged at once and never queued.
      format: (report: Report): Mail => (report.alert?.reason === 'summary' && report.alert.summary
        ? { from, to, ...emailSummary(report.alert.summary, subjectPrefix) }
        : {
          from, to,
          subject: emailSubject(report, { prefix: subjectPrefix, internalIps }),
          text: opts.renderText(report),
          html: opts.renderHtml(report),
        }),
      send: (mail, signal) => sendMailOnce(mailer, mail, signal),
      settings: pipelineOptions,
      // A transport made from `smtp` is ours to close; one given is the app's.
      release: () => { if (!transport) mailer.close(); },
    };
  }
}
