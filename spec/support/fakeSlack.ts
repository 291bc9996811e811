// A local HTTP server that answers like Slack, for notifier, integration and benchmark
// specs. It listens on 127.0.0.1 only and records every request it receives.
//
//   const slack = await startFakeSlack();
//   new SlackNotifier({ webhookUrl: slack.url })           // incoming webhook
//   new SlackNotifier({ token: 'xoxb-1', channel: 'C1', apiUrl: slack.apiUrl })  // Web API
//   slack.respondWith(slackAnswers.rateLimited(1), slackAnswers.ok())  // then the default
//   slack.requests  // [{ path, headers, body, raw, at }]
//
// Without queued answers it behaves as Slack documents: a webhook answers 200 `ok`
// (400 `invalid_payload` for a body that is not JSON, 400 `no_text` without text,
// blocks or attachments); `/api/chat.postMessage` answers 200 `{ ok: true, ts, channel }`
// (or `{ ok: false, error: 'not_authed' | 'channel_not_found' }`).
// Sources: api.slack.com/changelog/2016-05-17-changes-to-errors-for-incoming-webhooks,
// api.slack.com/docs/rate-limits, api.slack.com/methods/chat.postMessage.
import http, { type IncomingHttpHeaders } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { eventually } from './eventually';

export interface FakeSlackResponse {
  status: number;
  /** A string is sent as text/html (as webhooks do), anything else as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Wait this long before answering (to exceed a client's timeout). */
  delayMs?: number;
}

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON, or the raw text when it is not JSON. */
  body: unknown;
  raw: string;
  /** When the request was fully received: Date.now(), or the `now` given to startFakeSlack (a fake clock's). */
  at: number;
}

/** Computes an answer from the request; return undefined for Slack's default answer. */
export type Responder = (request: ReceivedRequest) => FakeSlackResponse | undefined;

export interface FakeSlack {
  /** An incoming-webhook URL on this server. */
  url: string;
  /** Base for the Web API: `${apiUrl}/chat.postMessage`. */
  apiUrl: string;
  requests: ReceivedRequest[];
  /** Queues answers used once each, in order, before falling back to the default. */
  respondWith(...answers: Array<FakeSlackResponse | Responder>): void;
  /** Replaces Slack's default answer (e.g. always 429), or restores it with undefined. */
  setDefault(answer: FakeSlackResponse | Responder | undefined): void;
  /** Resolves once `count` requests have been received (rejects after timeoutMs). */
  waitForRequests(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

/** Answers Slack documents for incoming webhooks and the Web API. */
export const slackAnswers = {
  ok: (): FakeSlackResponse => ({ status: 200, body: 'ok' }),
  invalidPayload: (): FakeSlackResponse => ({ status: 400, body: 'invalid_payload' }),
  noText: (): FakeSlackResponse => ({ status: 400, body: 'no_text' }),
  actionProhibited: (): FakeSlackResponse => ({ status: 403, body: 'action_prohibited' }),
  channelNotFound: (): FakeSlackResponse => ({ status: 404, body: 'channel_not_found' }),
  channelIsArchived: (): FakeSlackResponse => ({ status: 410, body: 'channel_is_archived' }),
  noService: (): FakeSlackResponse => ({ status: 404, body: 'no_service' }),
  rollupError: (): FakeSlackResponse => ({ status: 500, body: 'rollup_error' }),
  /** 429 with Retry-After in seconds (omitted when null) and a JSON body. */
  rateLimited: (retryAfterSeconds: number | null = 1): FakeSlackResponse => ({
    status: 429,
    body: { ok: false, error: 'ratelimited' },
    headers: retryAfterSeconds === null ? {} : { 'Retry-After': String(retryAfterSeconds) },
  }),
  /** 200 ok, but only after `delayMs`. */
  slow: (delayMs: number): FakeSlackResponse => ({ status: 200, body: 'ok', delayMs }),
  /** Web API error: HTTP 200 with `{ ok: false, error }`. */
  apiError: (error: string): FakeSlackResponse => ({ status: 200, body: { ok: false, error } }),
};

const WEBHOOK_PATH = '/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX';

export interface FakeSlackOptions {
  /** Stamps `at` on each request: pass `() => clock.now()` to read gaps on a fake clock. */
  now?: () => number;
}

export async function startFakeSlack({ now = Date.now }: FakeSlackOptions = {}): Promise<FakeSlack> {
  const requests: ReceivedRequest[] = [];
  const queue: Array<FakeSlackResponse | Responder> = [];
  let fallback: FakeSlackResponse | Responder | undefined;
  let messagesPosted = 0;
  const timers = new Set<NodeJS.Timeout>();

  function slackDefault(request: ReceivedRequest): FakeSlackResponse {
    if (request.path.endsWith('/chat.postMessage')) {
      if (!/^Bearer \S+$/.test(String(request.headers.authorization ?? ''))) return slackAnswers.apiError('not_authed');
      const body = request.body as { channel?: unknown } | string;
      if (typeof body !== 'object' || body === null) return slackAnswers.apiError('invalid_json');
      if (typeof body.channel !== 'string' || !body.channel) return slackAnswers.apiError('channel_not_found');
      const ts = `1700000000.${String(++messagesPosted).padStart(6, '0')}`;
      return { status: 200, body: { ok: true, channel: body.channel, ts, message: {} } };
    }
    if (request.path !== WEBHOOK_PATH) return slackAnswers.noService();
    if (typeof request.body !== 'object' || request.body === null) return slackAnswers.invalidPayload();
    const payload = request.body as { text?: unknown; blocks?: unknown; attachments?: unknown };
    if (!payload.text && !payload.blocks && !payload.attachments) return slackAnswers.noText();
    return slackAnswers.ok();
  }

  function answerFor(request: ReceivedRequest): FakeSlackResponse {
    const next = queue.length ? queue.shift()! : fallback;
    const answer = typeof next === 'function' ? next(request) : next;
    return answer ?? slackDefault(request);
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown = raw;
      try {
        body = JSON.parse(raw);
      } catch {
        // Kept as text: Slack answers invalid_payload for it.
      }
      const request: ReceivedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, raw, at: now() };
      requests.push(request);

      const answer = answerFor(request);
      const send = () => {
        if (res.destroyed) return;
        const isText = typeof answer.body === 'string' || answer.body === undefined;
        res.writeHead(answer.status, {
          'Content-Type': isText ? 'text/html' : 'application/json; charset=utf-8',
          ...answer.headers,
        });
        res.end(isText ? (answer.body as string | undefined) ?? '' : JSON.stringify(answer.body));
      };
      if (answer.delayMs) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          send();
        }, answer.delayMs);
        timers.add(timer);
      } else {
        send();
      }
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;

  return {
    url: base + WEBHOOK_PATH,
    apiUrl: `${base}/api`,
    requests,
    respondWith: (...answers) => void queue.push(...answers),
    setDefault: (answer) => {
      fallback = answer;
    },
    waitForRequests(count, timeoutMs = 10_000) {
      return eventually(() => requests.length >= count, {
        what: `fakeSlack: ${count} requests`, timeoutMs, everyMs: 5,
      }).then(() => requests.slice(0, count));
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A URL on 127.0.0.1 whose port was just bound and released: connecting is refused. */
export async function refusedUrl(path = WEBHOOK_PATH): Promise<string> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}${path}`;
}
