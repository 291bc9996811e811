import Router from '@koa/router';
import { expect } from 'chai';
import Koa from 'koa';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { silentLogger, stack, type Report, type Stack, type StackOptions, type Store } from '../lib';
import { RecordingNotifier } from './support/recordingNotifier';

class CountingStore implements Store {
  saved: Report[] = [];
  closes = 0;
  async save(reports: Report[]) {
    this.saved.push(...reports);
    return reports.map((r) => ({ kind: r.kind, fingerprint: r.fingerprint, added: 1, count: null, isNew: true, regressed: false }));
  }
  async close() { this.closes += 1; }
}

const outbox = () => ({ outboxDir: mkdtempSync(path.join(os.tmpdir(), 'tripwire-stack-')) });

function serve(tripwire: Stack): Koa {
  const app = new Koa();
  app.silent = true;
  app.use(tripwire);
  const router = new Router();
  router.post('/api/echo', (ctx) => { ctx.body = { got: ctx.request.body ?? null }; });
  router.get('/api/crash', () => { throw new Error('crash'); });
  app.use(router.routes()).use(router.allowedMethods());
  return app;
}

describe('stack', () => {
  const quiet = (store: Store | null, notifiers: RecordingNotifier[] = []): StackOptions => ({
    errors: { store, notifiers, logger: silentLogger, delivery: outbox() },
    brokenLinks: { store, notifiers, logger: silentLogger, delivery: outbox() },
  });

  it('composes request id → formatter → error reporter → broken links → body parser, outermost first', async () => {
    const store = new CountingStore();
    const notifier = new RecordingNotifier();
    const tripwire = stack(quiet(store, [notifier]));
    const app = serve(tripwire);

    // The body parser's 400 is shaped by the formatter (it sits inside it) and is not reported (a client error).
    const bad = await request(app.callback()).post('/api/echo').set('Content-Type', 'application/json').send('{').expect(400);
    expect(bad.body.success).to.equal(false);
    expect(bad.headers['x-request-id']).to.be.a('string');

    // The reporter sees the parsed body (the parser is inside it) and the id set outside it.
    const crash = await request(app.callback()).get('/api/crash').expect(500);
    const echoed = await request(app.callback()).post('/api/echo').send({ a: 1 }).expect(200);
    expect(echoed.body).to.deep.equal({ success: true, result: { got: { a: 1 } }, message: null });

    // A broken link is seen after the routes, as the final 404.
    await request(app.callback()).get('/api/gone').set('Referer', 'https://elsewhere.example/page').expect(404);
    await tripwire.flush();

    const kinds = store.saved.map((r) => r.kind).sort();
    expect(kinds).to.deep.equal(['broken-link', 'error']);
    const error = store.saved.find((r) => r.kind === 'error')!;
    expect(error.request!.requestId).to.equal(crash.headers['x-request-id']);
    await tripwire.close(1000);
  });

  it('leaves out each part given false', async () => {
    const tripwire = stack({ requestId: false, formatter: false, errors: false, brokenLinks: false, bodyParser: false });
    expect(tripwire.errors).to.equal(null);
    expect(tripwire.brokenLinks).to.equal(null);
    const app = serve(tripwire);
    const res = await request(app.callback()).post('/api/echo').send({ a: 1 }).expect(200);
    expect(res.body).to.deep.equal({ got: null });
    expect(res.headers['x-request-id']).to.equal(undefined);
    await tripwire.flush();
    await tripwire.close();
  });

  it('passes each part its options', async () => {
    const tripwire = stack({ ...quiet(null), formatter: { match: ['/v2'] }, requestId: { header: 'X-Trace-Id' }, bodyParser: { jsonLimit: '10b' } });
    const app = serve(tripwire);
    const res = await request(app.callback()).post('/api/echo').send({ long: 'enough to pass ten bytes' }).expect(413);
    expect(res.headers['x-trace-id']).to.be.a('string');
    expect(res.text).to.equal('request entity too large');
    await tripwire.close(1000);
  });

  it('closes a store and a notifier shared by both reporters once, after both have delivered', async () => {
    const store = new CountingStore();
    const notifier = new RecordingNotifier();
    const tripwire = stack(quiet(store, [notifier]));
    const app = serve(tripwire);
    await request(app.callback()).get('/api/crash').expect(500);
    await request(app.callback()).get('/api/missing').set('Referer', '/home').expect(404);
    await tripwire.close(1000);
    expect(store.closes).to.equal(1);
    expect(notifier.closed).to.equal(true);
    expect(store.saved).to.have.length(2);
    expect(notifier.received.map((r) => r.kind).sort()).to.deep.equal(['broken-link', 'error']);
  });

  it('refuses a misconfigured part with a clear error', () => {
    expect(() => stack({ errors: { reportStatuses: ['500' as unknown as number] } })).to.throw(TypeError, /reportStatuses/);
    expect(() => stack({ brokenLinks: { ignorableUrls: ['/favicon.ico' as unknown as RegExp] } })).to.throw(TypeError, /ignorableUrls/);
    expect(() => stack({ requestId: { header: 'bad header' } })).to.throw(TypeError, /header/);
  });
});
