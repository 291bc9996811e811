import type { AxiosInstance } from 'axios';
import { consoleLogger, type Logger } from '../../core/logger';
import { checkPositiveInteger, checkUrl } from '../../core/options';
import type { Report } from '../../report/Report';
import { checkLinkTemplate } from '../format/issueLink';
import type { NotifierFilterOptions } from '../notifierFilter';
import { readNotifierOptions, type PipelineOptions, type PipelineStats } from '../notifierPipeline';
import type { AttemptResult } from '../pacedRetryQueue';
import { PipelinedNotifier } from '../PipelinedNotifier';
import { slackMessage, type SlackMessage } from './slackMessage';
import { slackSummaryMessage } from './slackSummary';
import { createSlackClient, postToSlack, type SlackTarget } from './slackTransport';

const slackDefaults = {
  /** Incoming webhook (a secret). Give this, or `token` + `channel` for the Web API. */
  webhookUrl: undefined as string | undefined,
  /** Bot token for chat.postMessage (a secret); alerts of one issue are threaded. */
  token: undefined as string | undefined,
  channel: undefined as string | undefined,
  apiUrl: 'https://slack.com/api',
  /** Fingerprints whose thread is remembered (Web API mode); the oldest are forgotten. */
  maxThreads: 1000,
  /** e.g. "https://errors.example.com/issues/{fingerprint}". */
  linkTemplate: undefined as string | undefined,
  filter: undefined as NotifierFilterOptions | undefined,
  // Slack's own pacing: "no more than one message per second" per webhook, and a 429's
  // Retry-After pauses the whole queue, since sending on risks the app being disabled
  // (https://api.slack.com/docs/rate-limits); a short request timeout.
  minIntervalMs: 1000, maxRetries: 5, retryBaseMs: 1000, retryMaxMs: 60_000, timeoutMs: 5000,
};

/** Slack's own options, plus the pipeline's (budget, pacing, retries, clock, logger). */
export type SlackNotifierOptions = Partial<typeof slackDefaults> & PipelineOptions;
export type SlackNotifierStats = PipelineStats;

interface SlackOutgoing {
  /** The issue whose thread the message joins (Web API mode); null for a summary. */
  fingerprint: string | null;
  message: SlackMessage;
}

const WHERE = 'SlackNotifier';

/**
 * Announces reports in Slack, through an incoming webhook or chat.postMessage: its parts
 * are the Slack message of a report and one POST, classified (429 → Retry-After); the
 * pipeline filters, budgets, paces and retries. `notify` never rejects.
 */
export class SlackNotifier extends PipelinedNotifier<SlackOutgoing> {
  readonly name = 'slack';

  /** A notifier for SLACK_WEBHOOK_URL, or null when it is unset or blank. */
  static fromEnv(env: NodeJS.ProcessEnv = process.env, options: SlackNotifierOptions = {}): SlackNotifier | null {
    const webhookUrl = env.SLACK_WEBHOOK_URL?.trim();
    return webhookUrl ? new SlackNotifier({ ...options, webhookUrl }) : null;
  }

  private readonly target: SlackTarget;
  private readonly channel: string | undefined;
  private readonly maxThreads: number;
  private readonly client: AxiosInstance;
  private readonly secrets: string[];
  private readonly threads = new Map<string, string>();

  constructor(options: SlackNotifierOptions = {}) {
    const { opts, pipelineOptions, settings } = readNotifierOptions(WHERE, slackDefaults, options);
    super(opts.filter);
    const { logger, clock } = settings;
    const { webhookUrl, token, channel, apiUrl, maxThreads, linkTemplate } = opts;

    if (token !== undefined || channel !== undefined) {
      if (webhookUrl !== undefined) throw new TypeError(`${WHERE}: give either webhookUrl or token + channel, not both`);
      if (typeof token !== 'string' || !token.trim()) throw new TypeError(`${WHERE}: token must be a non-empty string (Web API mode needs token and channel)`);
      if (typeof channel !== 'string' || !channel.trim()) throw new TypeError(`${WHERE}: channel must be a non-empty string (Web API mode needs token and channel)`);
      checkSecretUrl('apiUrl', apiUrl, logger);
      this.target = { url: `${apiUrl.replace(/(?<!\/)\/+$/, '')}/chat.postMessage`, token };
      this.secrets = [token];
    } else {
      if (webhookUrl === undefined) throw new TypeError(`${WHERE}: webhookUrl is required (or token + channel for the Web API)`);
      const url = checkSecretUrl('webhookUrl', webhookUrl, logger);
      this.target = { url: webhookUrl };
      // The path holds the secret; mask it on its own too, in case a message quotes only the path.
      this.secrets = [webhookUrl, url.pathname].filter((s) => s.length > 1);
    }
    checkPositiveInteger(WHERE, 'maxThreads', maxThreads);
    if (linkTemplate !== undefined) checkLinkTemplate(linkTemplate, WHERE);

    this.channel = channel;
    this.maxThreads = maxThreads;
    // Each attempt's deadline is the pipeline's, on its clock (aborting the request).
    this.client = createSlackClient();
    this.parts = {
      label: 'Slack',
      accepts: this.accepts,
      format: (report: Report): SlackOutgoing => (report.alert?.reason === 'summary' && report.alert.summary
        ? { fingerprint: null, message: slackSummaryMessage(report.alert.summary) }
        : { fingerprint: report.fingerprint, message: slackMessage(report, { linkTemplate }) }),
      send: ({ fingerprint, message }, signal) => this.post(fingerprint, message, signal, clock.now()),
      settings: pipelineOptions,
      mask: (text) => this.secrets.reduce((masked, secret) => masked.split(secret).join('[secret]'), text),
    };
  }


  private async post(fingerprint: string | null, message: SlackMessage, signal: AbortSignal, now: number): Promise<AttemptResult> {
    const outcome = await postToSlack(this.client, this.target, this.payload(fingerprint, message), signal, now);
    if (outcome.kind === 'sent') {
      if (fingerprint !== null) this.rememberThread(fingerprint, outcome.ts);
      return { kind: 'sent' };
    }
    if (outcome.kind === 'cancelled') return outcome;
    const fields = { status: outcome.status, code: outcome.code };
    return outcome.kind === 'rate-limited' ? { kind: 'rate-limited', retryAfterMs: outcome.retryAfterMs, fields } : { kind: outcome.kind, fields };
  }

  private payload(fingerprint: string | null, message: SlackMessage): Record<string, unknown> {
    if (!this.target.token) return { ...message };
    // Looked up at send time: the first alert of a fingerprint may still have been queued when this one was.
    const threadTs = fingerprint === null ? undefined : this.threads.get(fingerprint);
    return { channel: this.channel, ...message, ...(threadTs ? { thread_ts: threadTs } : {}) };
  }

  private rememberThread(fingerprint: string, ts: string | null): void {
    if (!this.target.token || !ts || this.threads.has(fingerprint)) return;
    this.threads.set(fingerprint, ts);
    if (this.threads.size > this.maxThreads) this.threads.delete(this.threads.keys().next().value!);
  }
}

// The URL is a secret: errors and warnings name the option, never the value.
function checkSecretUrl(name: string, value: unknown, logger: Logger): URL {
  const url = checkUrl(WHERE, name, value);
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    logger.warn(`${WHERE}: ${name} uses plain http to a non-loopback host; the secret travels unencrypted`);
  }
  return url;
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}
