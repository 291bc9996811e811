// Hostile and broken input, end to end: a real Koa app on 127.0.0.1 with stack(),
// the live MongoDB-speaking server (MongoStore), a local Slack and a real SMTP server.
// Every case asserts what the client gets (status and envelope), that the server is
// still up afterwards (a normal request answers 200), and what left the process: the
// stored report, every Slack payload and every mail (checked after every test).
import Router from '@koa/router';
import { expect } from 'chai';
import Koa from 'koa';
import mongoose, { type Connection } from 'mongoose';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EmailNotifier, MongoStore, silentLogger, SlackNotifier, stack, type Stack } from '../../lib';
import { defaultLimits } from '../../lib/report/reportOptions';
import { TRUNCATED } from '../../lib/report/scrub/truncate';
import { dropDatabase, dumpDatabase } from '../support/documents';
import { rawStatus, send, sendRaw, serve, UUID, type Answer, type SendOptions, type Served } from '../support/drillHttp';
import { eventually } from '../support/eventually';
import { startFakeSlack, type FakeSlack, type ReceivedRequest } from '../support/fakeSlack';
import { mongoUri } from '../support/mongoServer';
import { startSmtpServer, type ReceivedMail, type TestSmtpServer } from '../support/smtpServer';

const DB = 'tripwire_e2e_bad_input';
const JSON_LIMIT_BYTES = 64 * 1024;
const PLAIN_500 = { success: false, result: null, message: 'Internal Server Error' };
const FINGERPRINT = /^[0-9a-f]{40}$/;

// What Slack reads as a mention, a broadcast or a disguised link, and markup for mail clients.
const INJECTIONS = ['<!channel>', '<@U123>', '<https://evil|click>', '<script>alert(1)</script>'];
const ESCAPED_FOR_SLACK = ['&lt;!channel&gt;', '&lt;@U123&gt;', '&lt;https://evil|click&gt;', '&lt;script&gt;alert(1)&lt;/script&gt;'];
const ESCAPED_FOR_HTML = ['&lt;!channel&gt;', '&lt;@U123&gt;', '&lt;https://evil|click&gt;', '&lt;script&gt;alert(1)&lt;/script&gt;'];

// Every planted secret is distinct, so a leak names its source.
const SECRETS = {
  authorizationHeader: 'planted-authz-bearer-41c7',
  cookieHeader: 'planted-cookie-session-93ab',
  apiKeyHeader: 'planted-x-api-key-5d20',
  queryToken: 'planted-query-token-77e1',
  queryApiKey: 'planted-query-apikey-0f3c',
  bodyPassword: 'planted-body-password-6a94',
  arraySecretA: 'planted-array-secret-a-12fe',
  arraySecretB: 'planted-array-secret-b-c04d',
  errApiKey: 'planted-err-apikey-8b51',
  errConfigAuthorization: 'planted-config-bearer-2e6f',
  postgresPassword: 'planted-pg-password-d7a3',
  hookAccessToken: 'planted-hook-token-49b8',
};

type Thrower = () => unknown;

/** Non-Errors and hostile Errors, each as a route throws it. */
// Built, not written out: reports carry the source lines around each frame, and the
// throw site below is one of them; only the message itself must lose its tail.
const HUGE_TAIL = ['HUGE', 'MESSAGE', 'TAIL'].join('-');
const THROWN: Record<string, Thrower> = {
  string: () => 'a thrown string',
  number: () => 42,
  null: () => null,
  undefined: () => undefined,
  object: () => ({ reason: 'plain object', code: 7 }),
  circular: () => {
    const err = new Error('an error that refers to itself') as Error & Record<string, unknown>;
    const data: Record<string, unknown> = { level: 1 };
    data.loop = data;
    err.self = err;
    err.data = data;
    return err;
  },
  getters: () => {
    const err = new Error('never read');
    // 'stack' first: redefining it makes V8 format the stack, which reads the message.
    Object.defineProperty(err, 'stack', { get() { throw new Error('stack getter exploded'); }, enumerable: false });
    Object.defineProperty(err, 'message', { get() { throw new Error('message getter exploded'); }, enumerable: false });
    return err;
  },
  proxy: () => new Proxy({}, new Proxy({}, {
    // The handler itself answers every trap with a function that throws.
    get: (_target, trap) => () => { throw new Error(`proxy trap ${String(trap)} refused`); },
  })),
  huge: () => new Error(`${'m'.repeat(5 * 1024 * 1024)}${HUGE_TAIL}`),
};

function routes(): Router {
  const router = new Router();
  router.get('/api/ok', (ctx) => { ctx.body = { ok: true }; });
  router.get('/api/notes/:id', (ctx) => { ctx.body = { id: ctx.params.id }; });
  router.post('/api/echo', (ctx) => { ctx.body = { received: ctx.request.body ?? null }; });
  // Each case names itself in X-Case, which becomes its fingerprint: one issue, one alert per case.
  router.all('/api/boom/:id', (ctx) => {
    const err = new Error(`boom on ${ctx.params.id}`);
    throw Object.assign(err, { fingerprint: ['bad-input', ctx.get('x-case') || 'none'] });
  });
  router.get('/api/throw/:kind', (ctx) => { throw THROWN[ctx.params.kind](); });
  router.post('/api/operators', () => { throw Object.assign(new Error('operators in the request'), { fingerprint: 'bad-input-operators' }); });
  router.get('/api/fingerprint/:shape', (ctx) => {
    const shapes: Record<string, unknown> = {
      object: { $ne: null },
      regex: { $regex: '.*' },
      string: '{"$ne":null}',
      array: ['$gt', ''],
    };
    throw Object.assign(new Error(`fingerprint shaped as ${ctx.params.shape}`), { fingerprint: shapes[ctx.params.shape] });
  });
  router.post('/api/secret/:id', () => {
    const err = new Error(
      `cannot reach postgres://app:${SECRETS.postgresPassword}@db.internal:5432/notes ` +
      `nor https://hooks.example/x?access_token=${SECRETS.hookAccessToken}&team=core`,
    );
    throw Object.assign(err, {
      fingerprint: 'bad-input-secrets',
      apiKey: SECRETS.errApiKey,
      config: { url: '/upstream', headers: { Authorization: `Bearer ${SECRETS.errConfigAuthorization}`, Accept: 'application/json' } },
    });
  });
  return router;
}

describe('bad input, end to end (server, MongoDB, Slack and email)', function () {
  this.timeout(120_000);
  let uri: string;
  let store: MongoStore;
  let raw: Connection;
  let slack: FakeSlack;
  let smtp: TestSmtpServer;
  let tripwire: Stack;
  let app: Koa;
  let served: Served;
  let outboxDir: string;

  const get = (p: string, options: SendOptions = {}) => send(served.port, p, options);
  type EventDoc = { _id: string; [key: string]: any };
  const events = () => raw.collection<EventDoc>('tripwire_events');

  /** The envelope is exactly `{ success, result, message }` with the given parts. */
  function expectFailure(res: Answer, status: number, message?: string | RegExp): void {
    expect(res.status, res.text.slice(0, 300)).to.equal(status);
    expect(res.headers['content-type']).to.match(/^application\/json/);
    const body = res.json as { success: unknown; result: unknown; message: unknown };
    expect(body).to.have.all.keys('success', 'result', 'message');
    expect(body.success).to.equal(false);
    expect(body.result).to.equal(null);
    expect(body.message).to.be.a('string');
    if (typeof message === 'string') expect(body.message).to.equal(message);
    else if (message) expect(body.message).to.match(message);
    expect(res.headers['x-request-id']).to.be.a('string').and.match(UUID);
  }

  async function expectServerUp(): Promise<void> {
    const res = await get('/api/ok');
    expect(res.status).to.equal(200);
    expect(res.json).to.deep.equal({ success: true, result: { ok: true }, message: null });
  }

  /** The stored event of a request, with its keys restored by the store's own helper. */
  async function storedEvent(requestId: string): Promise<Record<string, any>> {
    await tripwire.flush();
    const doc = (await eventually(() => events().findOne({ 'request.requestId': requestId }), { timeoutMs: 30_000, everyMs: 100 }))!;
    const listed = (await store.listEvents(doc.fingerprint as string, { perPage: 500 })).events;
    const event = listed.find((e) => e.id === doc._id);
    expect(event, `event ${String(doc._id)} through listEvents`).to.be.ok;
    expectWellFormed(event as Record<string, any>);
    return event as Record<string, any>;
  }

  async function eventCount(requestId: string): Promise<number> {
    await tripwire.flush();
    return events().countDocuments({ 'request.requestId': requestId });
  }

  /** The Slack messages and mails about one request (found by its request id), once they have arrived. */
  async function outboundFor(requestId: string): Promise<{ slack: ReceivedRequest[]; mails: ReceivedMail[] }> {
    await tripwire.flush();
    const slackFor = () => slack.requests.filter((r) => r.raw.includes(requestId));
    const mailsFor = () => smtp.messages.filter((m) => `${m.text}\n${m.html}`.includes(requestId));
    await eventually(() => slackFor().length > 0 && mailsFor().length > 0, { timeoutMs: 30_000, everyMs: 100 });
    return { slack: slackFor(), mails: mailsFor() };
  }

  function expectWellFormed(event: Record<string, any>): void {
    expect(event.id).to.be.a('string').and.match(UUID);
    expect(event.fingerprint).to.match(FINGERPRINT);
    expect(event.title).to.be.a('string').and.not.equal('');
    expect(event.status).to.be.a('number');
    expect(event.timestamp).to.be.instanceOf(Date);
    expect(event.error.type).to.be.a('string').and.not.equal('');
    expect(event.error.message).to.be.a('string');
    expect(event.error.message.length).to.be.at.most(defaultLimits.maxMessageLength + TRUNCATED.length);
    expect(event.error.extra).to.be.an('object');
    expect(event.request.path).to.be.a('string');
    expect(event.request.requestId).to.match(UUID);
    expect(JSON.stringify(event).length, 'a report stays small whatever was thrown').to.be.below(256 * 1024);
  }

  before(async () => {
    uri = await mongoUri(DB);
    await dropDatabase(uri);
    raw = await mongoose.createConnection(uri).asPromise();
    store = new MongoStore({ uri, logger: silentLogger });
    slack = await startFakeSlack();
    smtp = await startSmtpServer();
    outboxDir = mkdtempSync(path.join(os.tmpdir(), 'tripwire-bad-input-'));
    // Every case here is its own issue and must be announced: the alert budget is set above the suite's count.
    // An attempt that stalls (seldom, on a loaded machine) is retried after 5 s, well inside
    // the specs' 30 s wait for each alert and each stored event, instead of after the default
    // 30 s attempt deadline: a notifier's send and the store's save alike.
    const slackNotifier = new SlackNotifier({ webhookUrl: slack.url, minIntervalMs: 0, retryBaseMs: 10, maxAlertsPerWindow: 1000, timeoutMs: 5000, logger: silentLogger });
    const mail = new EmailNotifier({ smtp: smtp.transportOptions, from: 'tripwire@example.test', to: 'admins@example.test', minIntervalMs: 0, retryBaseMs: 10, maxAlertsPerWindow: 1000, timeoutMs: 5000, logger: silentLogger });
    tripwire = stack({
      errors: { store, notifiers: [slackNotifier, mail], windowMs: 10 * 60_000, delivery: { outboxDir, saveTimeoutMs: 5000, retry: { maxMs: 2000 } }, logger: silentLogger },
      brokenLinks: { store, notifiers: [slackNotifier], windowMs: 10 * 60_000, logger: silentLogger },
      bodyParser: { jsonLimit: `${JSON_LIMIT_BYTES / 1024}kb` },
    });
    app = new Koa();
    app.silent = true;
    app.use(tripwire);
    // Paths no router pattern would match (slashes inside markup) still reach a throwing handler.
    app.use(async (ctx, next) => {
      if (!ctx.path.startsWith('/api/inject/')) return next();
      let decoded: string;
      try {
        decoded = decodeURIComponent(ctx.path);
      } catch {
        decoded = ctx.path;
      }
      throw Object.assign(new Error(`cannot render ${decoded}`), { fingerprint: ['inject', ctx.get('x-case')] });
    });
    const router = routes();
    app.use(router.routes()).use(router.allowedMethods());
    served = await serve(app);
  });

  after(async () => {
    await served?.close();
    await tripwire?.close(5000);
    await store?.close();
    await raw?.close();
    await slack?.close();
    await smtp?.close();
    if (outboxDir) rmSync(outboxDir, { recursive: true, force: true });
  });

  // Whatever a case sent, nothing that left the process may carry Slack control
  // sequences, raw markup in HTML, or a planted secret.
  afterEach(async () => {
    await tripwire.flush();
    for (const request of slack.requests) {
      const body = request.body as { text?: unknown; attachments?: unknown };
      expect(body, 'Slack payload is JSON').to.be.an('object');
      expect(body.text).to.be.a('string').and.not.equal('');
      expect(body.attachments).to.be.an('array');
      // slackMessage escapes every report string and adds no links of its own here:
      // a raw angle bracket could only be a mention or a disguised link.
      expect(request.raw, 'raw < or > in a Slack payload').not.to.match(/[<>]/);
    }
    for (const mail of smtp.messages) {
      expect(mail.html, 'mail has an HTML part').to.be.a('string');
      for (const injection of INJECTIONS) expect(mail.html).not.to.include(injection);
      expect(mail.subject).not.to.match(/[\r\n]/);
    }
    const everything = [...slack.requests.map((r) => r.raw), ...smtp.messages.map((m) => `${m.raw}\n${m.text}\n${m.html}\n${m.subject}`)].join('\n');
    for (const [where, secret] of Object.entries(SECRETS)) expect(everything, `${where} left the process`).not.to.include(secret);
  });

  describe('bodies the parser refuses', () => {
    it('answers malformed JSON with a 400 envelope, stores nothing, and stays up', async () => {
      const res = await get('/api/echo', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"title": "unterminated' });
      expectFailure(res, 400);
      await expectServerUp();
      expect(await eventCount(res.headers['x-request-id'] as string), 'client errors are not reported').to.equal(0);
    });

    it('answers a JSON body over the limit with a 413 envelope, and stays up', async () => {
      const body = JSON.stringify({ pad: 'x'.repeat(JSON_LIMIT_BYTES * 2) });
      const res = await get('/api/echo', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
      expectFailure(res, 413);
      await expectServerUp();
      expect(await eventCount(res.headers['x-request-id'] as string)).to.equal(0);
    });

    it('answers a body of a type nobody parses with a 415 envelope naming the type, and stays up', async () => {
      const res = await get('/api/echo', { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: '<note><to>x</to></note>' });
      expectFailure(res, 415, /application\/xml/);
      await expectServerUp();
      expect(await eventCount(res.headers['x-request-id'] as string)).to.equal(0);
      const ok = await get('/api/echo', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"a":1}' });
      expect(ok.json).to.deep.equal({ success: true, result: { received: { a: 1 } }, message: null });
    });
  });

  describe('invalid percent-encoding', () => {
    it('serves /api/notes/%E0%A4%A as a normal route (the undecodable param kept as sent), not a 500', async () => {
      const res = await get('/api/notes/%E0%A4%A');
      expect(res.status).to.equal(200);
      expect(res.json).to.deep.equal({ success: true, result: { id: '%E0%A4%A' }, message: null });
      await expectServerUp();
      expect(await eventCount(res.headers['x-request-id'] as string)).to.equal(0);
    });

    it('answers /api/%zz with a 404 envelope, and its broken-link report (with a referer) is well-formed', async () => {
      const referer = `http://127.0.0.1:${served.port}/api/notes/1`;
      const res = await get('/api/%zz?q=%E0%A4%A&ok=1', { headers: { Referer: referer } });
      expectFailure(res, 404, 'Not Found');
      await expectServerUp();
      await tripwire.flush();
      const links = (await eventually(async () => {
        const found = (await store.listIssues({ kind: 'broken-link', status: 'all', perPage: 50 })).issues.filter((l) => l.url!.startsWith('/api/%zz'));
        return found.length ? found : null;
      }, { timeoutMs: 30_000, everyMs: 100 }))!;
      expect(links).to.have.length(1);
      expect(links[0]).to.include({ url: '/api/%zz?q=%E0%A4%A&ok=1', referer, internal: true, count: 1 });
    });

    it('reports a throw on an undecodable path as one well-formed event whose title quotes the path as sent', async () => {
      const res = await get('/api/boom/%E0%A4%A?x=%zz', { headers: { 'X-Case': 'percent' } });
      expectFailure(res, 500, 'Internal Server Error');
      await expectServerUp();
      const event = await storedEvent(res.headers['x-request-id'] as string);
      expect(event.title).to.equal('Internal Server Error: /api/boom/%E0%A4%A');
      expect(event.request.path).to.equal('/api/boom/%E0%A4%A');
      expect(event.error.message).to.equal('boom on %E0%A4%A');
      const { slack: messages, mails } = await outboundFor(event.request.requestId);
      expect(messages).to.have.length(1);
      expect(mails).to.have.length(1);
    });
  });

  describe('headers at and over Node\'s limit', () => {
    it('reports a throw carrying a header just under 16 KB, keeping a truncated value', async () => {
      const padding = `pad-${'p'.repeat(15_000)}-END-OF-PADDING`;
      const res = await get('/api/boom/big-header', { headers: { 'X-Case': 'big-header', 'X-Padding': padding } });
      expectFailure(res, 500, 'Internal Server Error');
      await expectServerUp();
      const event = await storedEvent(res.headers['x-request-id'] as string);
      const kept = event.request.headers['x-padding'] as string;
      expect(kept).to.have.length(defaultLimits.maxStringLength + TRUNCATED.length);
      expect(kept.startsWith('pad-ppp')).to.equal(true);
      expect(kept.endsWith(TRUNCATED)).to.equal(true);
      expect(JSON.stringify(event)).not.to.include('END-OF-PADDING');
      const { mails } = await outboundFor(event.request.requestId);
      expect(mails.map((m) => m.html).join('')).not.to.include('END-OF-PADDING');
    });

    it('survives a header over 16 KB: Node answers 431 itself, and the next request is served', async () => {
      // Node's HTTP parser refuses the request while reading its headers, before any
      // 'request' event: Koa (and so the formatter) never sees it, and Node writes a
      // bare "431 Request Header Fields Too Large" and closes the socket. No envelope
      // and no report are possible there; what matters is that the process stays up.
      const before = await events().countDocuments();
      const response = await sendRaw(served.port, `GET /api/boom/huge-header HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Case: huge\r\nX-Padding: ${'p'.repeat(20_000)}\r\n\r\n`);
      expect(rawStatus(response)).to.equal(431);
      expect(response).not.to.include('"success"');
      await expectServerUp();
      await tripwire.flush();
      expect(await events().countDocuments()).to.equal(before);
    });
  });

  describe('anything thrown', () => {
    for (const kind of Object.keys(THROWN)) {
      it(`answers a thrown ${kind} with the plain 500 envelope and stores one well-formed report`, async () => {
        const res = await get(`/api/throw/${kind}`);
        expectFailure(res, 500, 'Internal Server Error');
        expect(res.json).to.deep.equal(PLAIN_500);
        await expectServerUp();
        const event = await storedEvent(res.headers['x-request-id'] as string);
        expect(event.status).to.equal(500);
        expect(event.title).to.equal(`Internal Server Error: /api/throw/${kind}`);
        const { slack: messages, mails } = await outboundFor(event.request.requestId);
        expect(messages).to.have.length(1);
        expect(mails).to.have.length(1);

        const { error } = event;
        switch (kind) {
          case 'string':
            expect(error).to.include({ type: 'string', message: 'a thrown string' });
            break;
          case 'number':
            expect(error).to.include({ type: 'number', message: '42' });
            break;
          case 'null':
          case 'undefined':
            expect(error).to.include({ type: kind, message: kind });
            break;
          case 'object':
            expect(error.type).to.equal('object');
            expect(error.message).to.include('plain object');
            break;
          case 'circular':
            expect(error).to.include({ type: 'Error', message: 'an error that refers to itself' });
            expect(error.extra.data).to.deep.equal({ level: 1, loop: '[Circular]' });
            break;
          case 'getters':
            expect(error.message).to.equal('[Unreadable: message getter exploded]');
            expect(error.stack).to.equal('[Unreadable: stack getter exploded]');
            break;
          case 'proxy':
            expect(error.type).to.equal('object');
            expect(error.message).to.match(/^\[Unreadable: proxy trap \w+ refused\]$/);
            break;
          case 'huge': {
            expect(error.message).to.have.length(defaultLimits.maxMessageLength + TRUNCATED.length);
            expect(error.message.endsWith(TRUNCATED)).to.equal(true);
            expect(error.stack.length).to.be.at.most(defaultLimits.maxStackLength + TRUNCATED.length);
            expect(error.frames.length, 'frames survive a huge message').to.be.above(0);
            const outbound = [...messages.map((m) => m.raw), ...mails.map((m) => `${m.raw}${m.html}`)].join('');
            expect(JSON.stringify(event) + outbound).not.to.include(HUGE_TAIL);
            expect(outbound.length, 'mail and Slack stay small').to.be.below(512 * 1024);
            break;
          }
          default:
            throw new Error(`no expectation for ${kind}`);
        }
      });
    }
  });

  describe('forged X-Forwarded-For', () => {
    afterEach(() => {
      app.proxy = false;
      app.maxIpsCount = 0;
    });

    it('stores the socket address when app.proxy is false, whatever the header says', async () => {
      app.proxy = false;
      const res = await get('/api/boom/xff-off', { headers: { 'X-Case': 'xff-off', 'X-Forwarded-For': '203.0.113.66' } });
      expectFailure(res, 500);
      await expectServerUp();
      const event = await storedEvent(res.headers['x-request-id'] as string);
      expect(event.request.ip).to.equal('127.0.0.1');
      const { slack: messages } = await outboundFor(event.request.requestId);
      expect(messages[0].raw).not.to.include('203.0.113.66');
    });

    it('stores the proxy-appended (last) entry with app.proxy and maxIpsCount 1, never the forged first one', async () => {
      app.proxy = true;
      app.maxIpsCount = 1;
      // The client forged "127.0.0.1" to pass as internal; its proxy appended the real address.
      const res = await get('/api/boom/xff-on', { headers: { 'X-Case': 'xff-on', 'X-Forwarded-For': '127.0.0.1, 198.51.100.7' } });
      expectFailure(res, 500);
      await expectServerUp();
      const event = await storedEvent(res.headers['x-request-id'] as string);
      expect(event.request.ip).to.equal('198.51.100.7');
      const { slack: messages, mails } = await outboundFor(event.request.requestId);
      expect(JSON.stringify(messages[0].body)).to.include('198.51.100.7');
      expect(mails[0].subject, 'the forged address must not make the request look internal').to.include('(EXTERNAL IP)');
    });
  });

  describe('X-Request-Id the server must not echo', () => {
    const cases: Array<[string, string]> = [
      ['10 KB long', 'r'.repeat(10 * 1024)],
      ['spaces and markup', '<b>my id</b> <!channel>'],
      ['a tab', 'abc\tdef'],
      ['percent-encoded CR/LF', 'abc%0D%0ASet-Cookie:%20x=1'],
    ];
    for (const [label, incoming] of cases) {
      it(`replaces an incoming id with ${label} by a fresh uuid, and the report uses that one`, async () => {
        const res = await get('/api/boom/request-id', { headers: { 'X-Case': `request-id-${label}`, 'X-Request-Id': incoming } });
        expectFailure(res, 500);
        const id = res.headers['x-request-id'] as string;
        expect(id).to.match(UUID).and.not.equal(incoming);
        await expectServerUp();
        const event = await storedEvent(id);
        expect(event.request.requestId).to.equal(id);
        expect(JSON.stringify(event.request.headers['x-request-id'] ?? '').length).to.be.at.most(defaultLimits.maxStringLength + 64);
        const { slack: messages } = await outboundFor(id);
        expect(messages).to.have.length(1);
      });
    }

    it('keeps a sane incoming id as it is', async () => {
      const res = await get('/api/boom/request-id', { headers: { 'X-Case': 'request-id-sane', 'X-Request-Id': 'client-abc.123' } });
      expect(res.status).to.equal(500);
      expect(res.json).to.deep.equal(PLAIN_500);
      expect(res.headers['x-request-id']).to.equal('client-abc.123');
      await expectServerUp();
      await tripwire.flush();
      const doc = (await eventually(() => events().findOne({ 'request.requestId': 'client-abc.123' }), { timeoutMs: 30_000, everyMs: 100 }))!;
      expect(doc.fingerprint).to.match(FINGERPRINT);
    });

    it('never sees an id with a bare LF inside: Node answers 400 itself, and the next request is served', async () => {
      // Node's HTTP client refuses CR/LF in header values, so the bytes go over a raw
      // socket. Node's parser (llhttp, strict) rejects a bare LF inside a header with
      // "400 Bad Request" before any 'request' event: no envelope is possible, and no
      // header can be injected into the response.
      const before = await events().countDocuments();
      const response = await sendRaw(served.port, 'GET /api/boom/lf HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Case: lf\r\nX-Request-Id: abc\nSet-Cookie: injected=1\r\n\r\n');
      expect(rawStatus(response)).to.equal(400);
      expect(response.toLowerCase()).not.to.include('set-cookie');
      expect(response.toLowerCase()).not.to.include('x-request-id: abc');
      await expectServerUp();
      await tripwire.flush();
      expect(await events().countDocuments()).to.equal(before);
    });
  });

  describe('Slack and HTML control sequences in user agents and paths', () => {
    INJECTIONS.forEach((injection, index) => {
      it(`escapes ${injection} from the path and the user agent in Slack and in the mail`, async () => {
        // Sent raw: Node's client does not percent-encode "<", ">", "|" or "!".
        const res = await get(`/api/inject/${injection}`, {
          headers: { 'X-Case': `inject-${index}`, 'User-Agent': `Mozilla/5.0 ${injection}` },
        });
        expectFailure(res, 500, 'Internal Server Error');
        await expectServerUp();
        const event = await storedEvent(res.headers['x-request-id'] as string);
        // Stored as data, exactly as received: escaping is the renderer's job.
        expect(event.request.path).to.equal(`/api/inject/${injection}`);
        expect(event.request.userAgent).to.equal(`Mozilla/5.0 ${injection}`);

        const { slack: messages, mails } = await outboundFor(event.request.requestId);
        expect(messages).to.have.length(1);
        expect(messages[0].raw).not.to.include(injection);
        expect(messages[0].raw).to.include(ESCAPED_FOR_SLACK[index]);
        expect(mails).to.have.length(1);
        expect(mails[0].html).not.to.include(injection);
        expect(mails[0].html).to.include(ESCAPED_FOR_HTML[index]);
      });
    });

    it('escapes a user agent carrying every sequence at once on an ordinary throwing route', async () => {
      const agent = INJECTIONS.join(' ');
      const res = await get('/api/boom/agent', { headers: { 'X-Case': 'inject-agent', 'User-Agent': agent } });
      expectFailure(res, 500);
      await expectServerUp();
      const event = await storedEvent(res.headers['x-request-id'] as string);
      const { slack: messages, mails } = await outboundFor(event.request.requestId);
      for (const injection of INJECTIONS) {
        expect(messages[0].raw).not.to.include(injection);
        expect(mails[0].html).not.to.include(injection);
      }
      for (const escaped of ESCAPED_FOR_SLACK) expect(messages[0].raw).to.include(escaped);
      for (const escaped of ESCAPED_FOR_HTML) expect(mails[0].html).to.include(escaped);
    });
  });

  describe('$-prefixed keys and operator-shaped values', () => {
    it('stores $where/$gt in the body and $ne/a[$gt] in the query as data, restored by the helpers, counted exactly', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await get('/api/operators?$ne=1&a[$gt]=', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ $where: 'sleep(1000)', nested: { $gt: '' }, 'dotted.key': i }),
        });
        expectFailure(res, 500);
        ids.push(res.headers['x-request-id'] as string);
      }
      await expectServerUp();
      await tripwire.flush();

      const docs = await events().find({ 'request.requestId': { $in: ids } }).toArray();
      expect(docs).to.have.length(3);
      const fingerprint = docs[0].fingerprint as string;
      expect(docs.every((d) => d.fingerprint === fingerprint)).to.equal(true);
      // On disk the keys are escaped (never operators or paths)…
      const body = docs[0].request.body as Record<string, unknown>;
      expect(body).to.have.property('\uFF04where', 'sleep(1000)');
      expect(body).not.to.have.property('$where');
      expect(body).to.have.property('dotted\uFF0Ekey');
      // …and the helpers give them back as sent.
      const listed = (await store.listEvents(fingerprint, { perPage: 10 })).events;
      expect(listed).to.have.length(3);
      for (const event of listed as Array<Record<string, any>>) {
        expectWellFormed(event);
        expect(event.request.body).to.deep.include({ $where: 'sleep(1000)', nested: { $gt: '' } });
        expect(event.request.body).to.have.property('dotted.key');
        expect(event.request.query).to.deep.equal({ $ne: '1', 'a[$gt]': '' });
      }
      const issue = await store.getIssue('error', fingerprint);
      expect(issue!.count).to.equal(3);
      expect(await events().countDocuments({ fingerprint })).to.equal(3);
    });

    it('hashes operator-shaped fingerprint overrides: they group on their own and touch no other issue', async () => {
      await tripwire.flush();
      const countsBefore = new Map((await store.listIssues({ status: 'all', kind: 'error', perPage: 500 })).issues.map((i) => [i.fingerprint, i.count]));
      expect(countsBefore.size, 'issues from earlier cases exist to be matched').to.be.above(3);

      const shapes = ['object', 'regex', 'string', 'array'];
      for (const shape of shapes) {
        for (let i = 0; i < 2; i++) expectFailure(await get(`/api/fingerprint/${shape}`), 500);
      }
      await expectServerUp();
      await tripwire.flush();

      const after = (await store.listIssues({ status: 'all', kind: 'error', perPage: 500 })).issues;
      for (const [id, count] of countsBefore) {
        expect(after.find((i) => i.fingerprint === id)?.count, `issue ${id} untouched`).to.equal(count);
      }
      const added = after.filter((i) => !countsBefore.has(i.fingerprint));
      // The object shapes are not usable overrides, so the computed fingerprint applies
      // (one issue for both: same route, same code); the string and the array are hashed.
      expect(added.map((i) => i.count).sort()).to.deep.equal([2, 2, 4]);
      for (const issue of added) expect(issue.fingerprint).to.match(FINGERPRINT);
    });
  });

  it('lets no planted secret reach a stored document, a Slack payload or a mail', async () => {
    const res = await get(`/api/secret/1?token=${SECRETS.queryToken}&api_key=${SECRETS.queryApiKey}&page=2`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Bearer ${SECRETS.authorizationHeader}`,
        Cookie: `sessionid=${SECRETS.cookieHeader}; theme=dark`,
        'X-Api-Key': SECRETS.apiKeyHeader,
      },
      body: JSON.stringify({
        user: { name: 'ada', password: SECRETS.bodyPassword },
        items: [{ secret: SECRETS.arraySecretA, label: 'first' }, { secret: SECRETS.arraySecretB, label: 'second' }],
      }),
    });
    expectFailure(res, 500, 'Internal Server Error');
    await expectServerUp();
    const event = await storedEvent(res.headers['x-request-id'] as string);
    // The report kept what is not secret, so the scan below is a scan of a real report.
    expect(event.request.body.user.name).to.equal('ada');
    expect(event.request.body.items.map((item: { label: string }) => item.label)).to.deep.equal(['first', 'second']);
    expect(event.request.query.page).to.equal('2');
    expect(event.error.message).to.include('db.internal:5432/notes').and.include('hooks.example/x');
    expect(event.error.extra.config.headers.Accept).to.equal('application/json');
    const { slack: messages, mails } = await outboundFor(event.request.requestId);
    expect(messages).to.have.length(1);
    expect(mails).to.have.length(1);

    const everywhere = [
      await dumpDatabase(uri),
      ...slack.requests.map((r) => r.raw),
      ...smtp.messages.map((m) => `${m.raw}\n${m.text}\n${m.html}\n${m.subject}`),
    ].join('\n');
    expect(everywhere).to.include(event.request.requestId);
    for (const [where, secret] of Object.entries(SECRETS)) expect(everywhere, `${where} leaked`).not.to.include(secret);
  });
});
