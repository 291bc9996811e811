// End to end: a real Koa app over HTTP, the live MongoDB-speaking server, a local
// Slack that answers as Slack does, and a real SMTP server.
import Router from '@koa/router';
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import Koa from 'koa';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { EmailNotifier, MongoStore, sensitivePostParameters, silentLogger, SlackNotifier, stack, type Report, type Store, type Stack } from '../../lib';
import { dropDatabase, dumpDatabase } from '../support/documents';
import { eventually } from '../support/eventually';
import { startFakeSlack, type FakeSlack } from '../support/fakeSlack';
import { mongoUri } from '../support/mongoServer';
import { startSmtpServer, type TestSmtpServer } from '../support/smtpServer';

function routes(): Router {
  const router = new Router();
  router.get('/api/notes/:id', (ctx) => { throw new Error(`note ${ctx.params.id} exploded at ${Date.now()}`); });
  router.get('/api/other', () => { throw new RangeError('a different bug'); });
  router.get('/api/string', () => { throw 'just a string'; });
  router.get('/api/null', () => { throw null; });
  router.get('/api/object', () => { throw { reason: 'plain object' }; });
  router.get('/api/set-503', (ctx) => { ctx.status = 503; ctx.body = { why: 'maintenance' }; });
  router.get('/api/validation', (ctx) => ctx.throw(422, 'title is required'));
  router.get('/api/caught', (ctx) => {
    const id = (ctx.state.tripwire as Stack).errors!.captureException(new Error('handled but worth knowing'), ctx);
    ctx.body = { reported: id };
  });
  router.post('/api/login', sensitivePostParameters('password'), () => { throw new Error('login backend down'); });
  return router;
}

function appWith(tripwire: Stack): Koa {
  const app = new Koa();
  app.silent = true;
  app.use(async (ctx, next) => { ctx.state.tripwire = tripwire; await next(); });
  app.use(tripwire);
  const router = routes();
  app.use(router.routes()).use(router.allowedMethods());
  return app;
}

describe('error reporting, end to end', function () {
  this.timeout(120_000);
  let uri: string;
  let store: MongoStore;
  let slack: FakeSlack;
  let smtp: TestSmtpServer;
  let tripwire: Stack;
  let app: Koa;

  before(async () => {
    uri = await mongoUri('tripwire_e2e_errors');
    await dropDatabase(uri);
    store = new MongoStore({ uri });
    slack = await startFakeSlack();
    smtp = await startSmtpServer();
    tripwire = stack({
      errors: {
        store,
        notifiers: [
          new SlackNotifier({ webhookUrl: slack.url, minIntervalMs: 10, retryBaseMs: 10, logger: silentLogger }),
          new EmailNotifier({ smtp: smtp.transportOptions, from: 'tripwire@example.test', to: 'admins@example.test', minIntervalMs: 0, retryBaseMs: 10, logger: silentLogger }),
        ],
        windowMs: 60_000,
        delivery: { outboxDir: mkdtempSync(path.join(os.tmpdir(), 'tripwire-e2e-')) },
        logger: silentLogger,
        // Named, not the checkout's git sha: regressions depend on the release (issue 18, deploy-aware regressions).
        release: '1.4.2',
      },
      brokenLinks: false,
    });
    app = appWith(tripwire);
  });

  after(async () => {
    await tripwire.close(5000);
    await store.close();
    await slack.close();
    await smtp.close();
  });

  it('turns a thrown error into one event, one issue, one Slack message and one email, and the client only sees the envelope and a request id', async () => {
    const res = await request(app.callback()).get('/api/notes/42').expect(500);
    expect(res.body).to.deep.equal({ success: false, result: null, message: 'Internal Server Error' });
    const requestId = res.headers['x-request-id'];
    expect(requestId).to.be.a('string').and.not.equal('');
    await tripwire.flush();

    const issues = (await store.listIssues({ status: 'all', kind: 'error' })).issues;
    expect(issues).to.have.length(1);
    expect(issues[0]).to.include({ count: 1, status: 'open', title: 'Internal Server Error: /api/notes/42' });
    const { events } = await store.listEvents(issues[0].fingerprint, { perPage: 10 });
    expect(events).to.have.length(1);
    const [event] = events as unknown as Report[];
    expect(event.request!.requestId).to.equal(requestId);
    expect(event.error!.type).to.equal('Error');

    expect(slack.requests).to.have.length(1);
    expect(JSON.stringify(slack.requests[0].body)).to.include('/api/notes/42').and.include(requestId);
    const [mail] = await smtp.waitForMessages(1);
    expect(mail.subject).to.match(/ERROR \((EXTERNAL|internal) IP\): Internal Server Error: \/api\/notes\/42/);
  });

  it('groups the same bug thrown 50 times into one issue with count 50 and does not alert 50 times', async () => {
    const slackBefore = slack.requests.length;
    for (let i = 0; i < 49; i += 1) await request(app.callback()).get(`/api/notes/${1000 + i}`).expect(500);
    await tripwire.flush();
    const issues = (await store.listIssues({ status: 'all', kind: 'error' })).issues;
    expect(issues).to.have.length(1);
    expect(issues[0].count).to.equal(50);
    expect(slack.requests.length - slackBefore).to.equal(0);
  });

  it('keeps a resolved issue resolved when its release throws again (counted, silent), and reopens it with regressedAt and a regression alert from a new release', async () => {
    const [issue] = (await store.listIssues({ status: 'all', kind: 'error' })).issues;
    const fingerprint = issue.fingerprint;
    expect(await store.setStatus('error', fingerprint, 'resolved')).to.include({ status: 'resolved' });
    expect((await store.getIssue('error', fingerprint))!.status).to.equal('resolved');
    const slackBefore = slack.requests.length;

    // An old process of a rolling deploy still throws the fixed error: counted, not a regression.
    await request(app.callback()).get('/api/notes/7').expect(500);
    await tripwire.flush();
    const still = await store.getIssue('error', fingerprint);
    expect(still).to.include({ status: 'resolved', count: 51 });
    expect(still!.regressedAt ?? null).to.equal(null);
    expect(slack.requests.length - slackBefore).to.equal(0);

    // The next release, another instance over the same database, throws it again: a regression.
    const next = stack({
      errors: {
        store: new MongoStore({ uri, logger: silentLogger }),
        notifiers: [new SlackNotifier({ webhookUrl: slack.url, minIntervalMs: 10, retryBaseMs: 10, logger: silentLogger })],
        windowMs: 60_000,
        delivery: { outboxDir: mkdtempSync(path.join(os.tmpdir(), 'tripwire-e2e-next-')) },
        logger: silentLogger,
        release: '1.4.3',
      },
      brokenLinks: false,
    });
    try {
      await request(appWith(next).callback()).get('/api/notes/8').expect(500);
      await next.flush();
    } finally {
      await next.close(5000);
    }
    const reopened = await store.getIssue('error', fingerprint);
    expect(reopened!.status).to.equal('open');
    expect(reopened!.regressedAt).to.be.ok;
    expect(reopened!.count).to.equal(52);
    expect(slack.requests.length - slackBefore).to.equal(1);
    expect(JSON.stringify(slack.requests.at(-1)!.body)).to.match(/regress/i);
  });

  it('reports non-Error throws, and a 5xx set without a throw', async () => {
    await request(app.callback()).get('/api/string').expect(500);
    await request(app.callback()).get('/api/null').expect(500);
    await request(app.callback()).get('/api/object').expect(500);
    await request(app.callback()).get('/api/set-503').expect(503);
    await tripwire.flush();
    const issues = (await store.listIssues({ status: 'all', kind: 'error', perPage: 50 })).issues;
    const types = issues.map((i) => i.type);
    expect(types).to.include.members(['string', 'null', 'object', 'ResponseStatus']);
    const unavailable = issues.find((i) => i.type === 'ResponseStatus');
    expect(unavailable!.title).to.equal('Service Unavailable: /api/set-503');
  });

  it('does not report client errors (422, unknown route 404, malformed JSON)', async () => {
    const before = ((await store.listIssues({ status: 'all', kind: 'error', perPage: 100 })).issues).length;
    await request(app.callback()).get('/api/validation').expect(422);
    await request(app.callback()).get('/api/nowhere').expect(404);
    await request(app.callback()).post('/api/login').set('Content-Type', 'application/json').send('{"broken":').expect(400);
    await tripwire.flush();
    expect(((await store.listIssues({ status: 'all', kind: 'error', perPage: 100 })).issues).length).to.equal(before);
  });

  it('stores errors the app caught itself through captureException', async () => {
    const res = await request(app.callback()).get('/api/caught').expect(200);
    const id = res.body.result.reported;
    expect(id).to.be.a('string');
    await tripwire.flush();
    const issues = (await store.listIssues({ status: 'all', kind: 'error', perPage: 100 })).issues;
    const caught = issues.find((i) => /handled but worth knowing/.test(i.message ?? ''));
    expect(caught, 'an issue for the captured error').to.be.ok;
    const { events } = await store.listEvents(caught!.fingerprint, { perPage: 5 });
    expect(events.map((e) => e.id)).to.include(id);
  });

  it('lets no planted secret reach MongoDB, Slack or email', async () => {
    // Made at run time: reports carry the source lines around the throw site, and these
    // lines are near it; what must never leak is the values the request and error carry.
    const tag = randomBytes(4).toString('hex');
    const secrets = {
      authorization: `Bearer planted-bearer-${tag}`,
      cookie: `sessionid=planted-session-${tag}`,
      apiKey: `planted-api-key-${tag}`,
      queryToken: `planted-query-token-${tag}`,
      password: `planted-password-${tag}`,
      nested: `planted-nested-secret-${tag}`,
      dbPassword: `planted-db-pass-${tag}`,
    };
    const router = new Router();
    router.post('/api/secret/:id', (ctx) => {
      const err = new Error(`cannot connect to mongodb://admin:${secrets.dbPassword}@db.internal:27017/app`);
      Object.assign(err, { apiKey: secrets.apiKey, context: { clientSecret: secrets.nested } });
      throw err;
    });
    const secretApp = new Koa();
    secretApp.silent = true;
    secretApp.use(tripwire);
    secretApp.use(router.routes());

    await request(secretApp.callback())
      .post(`/api/secret/1?token=${secrets.queryToken}&page=2`)
      .set('Authorization', secrets.authorization)
      .set('Cookie', secrets.cookie)
      .set('X-Api-Key', secrets.apiKey)
      .send({ user: { name: 'ada', password: secrets.password }, items: [{ secret: secrets.nested }] })
      .expect(500);
    await tripwire.flush();

    const everywhere = [
      await dumpDatabase(uri),
      ...slack.requests.map((r) => r.raw),
      ...smtp.messages.map((m) => m.raw),
    ].join('\n');
    expect(everywhere).to.include('/api/secret/1');
    for (const [where, value] of Object.entries(secrets)) {
      const bare = value.replace(/^Bearer |^sessionid=/, '');
      expect(everywhere, `${where} leaked`).not.to.include(bare);
    }
  });

  it('sends the response while the store is still saving (a store the spec releases)', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const saved: Report[] = [];
    const gatedStore: Store = {
      async save(reports) {
        await gate;
        saved.push(...reports);
        return reports.map((r) => ({ kind: r.kind, fingerprint: r.fingerprint, added: 1, count: null, isNew: true, regressed: false }));
      },
    };
    const gated = stack({ errors: { store: gatedStore, notifiers: [], logger: silentLogger, delivery: { outboxDir: mkdtempSync(path.join(os.tmpdir(), 'tripwire-gate-')) } }, brokenLinks: false });
    const res = await request(appWith(gated).callback()).get('/api/notes/1');
    expect(res.status).to.equal(500);
    expect(saved, 'nothing saved before the response arrived').to.have.length(0);
    release();
    await gated.flush();
    expect(saved).to.have.length(1);
    expect(saved[0].request!.requestId).to.equal(res.headers['x-request-id']);
    await gated.close(1000);
  });

  it('keeps the stored report and the alert free of anything but the scrubbed body for sensitivePostParameters', async () => {
    await request(app.callback()).post('/api/login').send({ username: 'ada', password: 'planted-login-password-77' }).expect(500);
    await tripwire.flush();
    const dump = await dumpDatabase(uri);
    expect(dump).to.include('ada');
    expect(dump).not.to.include('planted-login-password-77');
    await eventually(() => smtp.messages.some((m) => m.raw.includes('login backend down')), { timeoutMs: 30_000, everyMs: 100 });
    expect(smtp.messages.map((m) => m.raw).join('')).not.to.include('planted-login-password-77');
  });
});
