import type { AxiosInstance } from 'axios';
import { consoleLogger, type Logger } from '../../core/logger';
import { checkPositiveInteger, checkUrl, rejectUnknownKeys } from '../../core/options';
import type { Notifier } from '../../ports';
import type { Report } from '../../report/Report';
import { checkLinkTemplate } from '../format/issueLink';
import { notifierFilter, type NotifierFilterOptions } from '../notifierFilter';
import { NotifierPipeline, QUEUED_NOTIFIER_KEYS, pipelineSettings, type QueuedNotifierOptions, type QueuedNotifierStats } from '../notifierPipeline';
import type { AttemptResult } from '../pacedRetryQueue';
import { slackMessage, type SlackMessage } from './slackMessage';
import { slackSummaryMessage } from './slackSummary';
import { createSlackClient, postToSlack, type SlackTarget } from './slackTransport';

export interface SlackNotifierOptions extends QueuedNotifierOptions {
  /** Incoming webhook (a secret). Give this, or `token` + `channel` for the Web API. */
  webhookUrl?: string;
  /** Bot token for chat.postMessage (a secret); alerts of one issue are threaded. */
  token?: string;
  channel?: string;
  apiUrl?: string;
  /** Fingerprints whose thread is remembered (Web API mode); the oldest are forgotten. */
  maxThreads?: number;
  /** e.g. "https://errors.example.com/issues/{fingerprint}". */
  linkTemplate?: string;
  filter?: NotifierFilterOptions;
}

export type SlackNotifierStats = QueuedNotifierStats;

// Slack's own pacing: about one message per second per webhook, a short request timeout.
const slackPacing = { minIntervalMs: 1000, maxRetries: 5, retryBaseMs: 1000, retryMaxMs: 60_000, timeoutMs: 5000 };
const OWN_KEYS = ['webhookUrl', 'token', 'channel', 'apiUrl', 'maxThreads', 'linkTemplate', 'filter'];
const WHERE = 'SlackNotifier';

/**
 * Announces reports in Slack, through an incoming webhook or chat.postMessage, from the
 * shared paced retry queue (429 pauses the whole queue for Retry-After) within the alert
 * budget. `notify` never rejects: it resolves when the message is sent or given up.
 */
export class SlackNotifier implements Notifier {
  readonly name = 'slack';
  readonly accepts: (report: Report) => boolean;

  /** A notifier for SLACK_WEBHOOK_URL, or null when it is unset or blank. */
  static fromEnv(env: NodeJS.ProcessEnv = process.env, options: SlackNotifierOptions = {}): SlackNotifier | null {
    const webhookUrl = env.SLACK_WEBHOOK_URL?.trim();
    return webhookUrl ? new SlackNotifier({ ...options, webhookUrl }) : null;
  }

  private readonly target: SlackTarget;
  private readonly channel: string | undefined;
  private readonly linkTemplate: string | undefined;
  private readonly maxThreads: number;
  private readonly client: AxiosInstance;
  private readonly secrets: string[];
  private readonly threads = new Map<string, string>();
  private readonly pipeline: NotifierPipeline;
  private readonly clockNow: () => number;

  constructor(options: SlackNotifierOptions = {}) {
    if (options === null || typeof options !== 'object') throw new TypeError(`${WHERE}: options must be an object`);
    rejectUnknownKeys(WHERE, options, [...OWN_KEYS, ...QUEUED_NOTIFIER_KEYS]);
    const settings = pipelineSettings(WHERE, options, slackPacing, options.logger ?? consoleLogger);
    const { webhookUrl, token, channel, apiUrl = 'https://slack.com/api', maxThreads = 1000, linkTemplate, filter = {} } = options;

    if (token !== undefined || channel !== undefined) {
      if (webhookUrl !== undefined) throw new TypeError(`${WHERE}: give either webhookUrl or token + channel, not both`);
      if (typeof token !== 'string' || !token.trim()) throw new TypeError(`${WHERE}: token must be a non-empty string (Web API mode needs token and channel)`);
      if (typeof channel !== 'string' || !channel.trim()) throw new TypeError(`${WHERE}: channel must be a non-empty string (Web API mode needs token and channel)`);
      checkSecretUrl('apiUrl', apiUrl, settings.logger);
      this.target = { url: `${apiUrl.replace(/\/+$/, '')}/chat.postMessage`, token };
      this.secrets = [token];
    } else {
      if (webhookUrl === undefined) throw new TypeError(`${WHERE}: webhookUrl is required (or token + channel for the Web API)`);
      const url = checkSecretUrl('webhookUrl', webhookUrl, settings.logger);
      this.target = { url: webhookUrl };
      // The path holds the secret; mask it on its own too, in case a message quotes only the path.
      this.secrets = [webhookUrl, url.pathname].filter((s) => s.length > 1);
    }
    checkPositiveInteger(WHERE, 'maxThreads', maxThreads);
    if (linkTemplate !== undefined) checkLinkTemplate(linkTemplate, WHERE);

    this.channel = channel;
    this.linkTemplate = linkTemplate;
    this.maxThreads = maxThreads;
    this.accepts = notifierFilter(filter);
    // Each attempt's deadline is the queue's, on the clock (aborting the request).
    this.client = createSlackClient();
    this.clockNow = () => settings.clock.now();
    const mask = (text: string) => this.secrets.reduce((masked, secret) => masked.split(secret).join('[secret]'), text);
    this.pipeline = new NotifierPipeline('Slack', settings, (summary) => ({
      fields: { summaryOf: summary.held },
      send: (signal) => this.post(null, slackSummaryMessage(summary), signal),
    }), mask);
  }

  get stats(): SlackNotifierStats {
    return this.pipeline.stats;
  }

  /** The paced queue's waiting messages (for metrics). */
  get queue(): { length: number } {
    return this.pipeline.queue;
  }

  notify(report: Report): Promise<void> {
    return this.pipeline.send(report, (r) => {
      const message = slackMessage(r, { linkTemplate: this.linkTemplate });
      return { fields: { reportId: r.id, fingerprint: r.fingerprint }, send: (signal) => this.post(r.fingerprint, message, signal) };
    });
  }

  /**
   * Waits for queued messages (bounded by retries and timeouts), or at most
   * `timeoutMs` when given; what is still waiting then is cancelled and counted.
   */
  close(timeoutMs?: number): Promise<void> {
    return this.pipeline.close(timeoutMs);
  }

  private async post(fingerprint: string | null, message: SlackMessage, signal: AbortSignal): Promise<AttemptResult> {
    const outcome = await postToSlack(this.client, this.target, this.payload(fingerprint, message), signal, this.clockNow());
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
