// Issue 11 §4 (first bullet) and issue 10 §4: grouping a client cannot multiply, and
// paths in reports relative to the app's root.
import Router from '@koa/router';
import { expect } from 'chai';
import Koa from 'koa';
import path from 'node:path';
import { silentLogger, stack, type Stack } from '../../lib';
import { send, serve, type Served } from '../support/drillHttp';
import { RecordingNotifier } from '../support/recordingNotifier';

const PATHS = Array.from({ length: 100 }, (_, i) => `/maintenance/${i}-${Math.random().toString(36).slice(2)}?q=${i}`);

describe('security: grouping an attacker cannot multiply', () => {
  let served: Served;
  let tripwire: Stack;
  let notifier: RecordingNotifier;

  beforeEach(async () => {
    notifier = new RecordingNotifier();
    tripwire = stack({ errors: { store: null, notifiers: [notifier], logger: silentLogger, environment: 'test', release: null }, brokenLinks: false });
    const app = new Koa();
    app.silent = true;
    const router = new Router();
    router.get('/api/orders/:id', (ctx) => { ctx.status = 502; ctx.body = { upstream: 'down' }; });
    router.get('/api/fail/:what', (ctx) => { throw `cannot load ${ctx.path}`; });
    app.use(tripwire);
    app.use(router.routes());
    // A maintenance switch answering 503 for every other path, without a throw.
    app.use((ctx) => { ctx.status = 503; ctx.body = { maintenance: true }; });
    served = await serve(app);
  });

  afterEach(async () => {
    await served.close();
    await tripwire.close(2000);
  });

  it('groups 100 random 503 paths without a matched route into one issue with one alert', async () => {
    for (const url of PATHS) expect((await send(served.port, url)).status).to.equal(503);
    await tripwire.flush();
    expect(tripwire.errors!.stats.accepted).to.equal(100);
    expect(notifier.received).to.have.length(1);
    expect(notifier.received[0].title).to.match(/^Service Unavailable: \/maintenance\//);
  });

  it('groups a 5xx set on a matched route by the route, whatever the parameters', async () => {
    for (let i = 0; i < 20; i++) expect((await send(served.port, `/api/orders/${i}x${Math.random()}`)).status).to.equal(502);
    await tripwire.flush();
    expect(notifier.received).to.have.length(1);
    expect(new Set(notifier.received.map((r) => r.fingerprint)).size).to.equal(1);
  });

  it('leaves the URL out of a message used for grouping', async () => {
    for (let i = 0; i < 20; i++) await send(served.port, `/api/fail/${Math.random().toString(36).slice(2)}`);
    await tripwire.flush();
    expect(notifier.received).to.have.length(1);
  });

  it('shows frame paths relative to the app root, never absolute', async () => {
    const err = new Error('where am I');
    const id = tripwire.errors!.captureException(err);
    expect(id).to.be.a('string');
    await tripwire.flush();
    const report = notifier.received.find((r) => r.id === id)!;
    const here = path.relative(process.cwd(), __filename);
    expect(report.error!.frames[0].file).to.equal(here);
    expect(report.error!.stack).to.include(here).and.not.include(process.cwd());
    for (const frame of report.error!.frames) expect(path.isAbsolute(frame.file ?? ''), frame.file ?? '').to.equal(false);
  });
});
