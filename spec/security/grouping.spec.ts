// Issue 11 §4 (first bullet), issue 10 §4, issue 18 §3 and issue 19 §1: grouping a
// client cannot multiply or steer, and paths in reports that do not depend on where
// the app is installed.
import Router from '@koa/router';
import { expect } from 'chai';
import Koa from 'koa';
import { readFile, rmSync } from 'node:fs';
import { promisify } from 'node:util';
import os from 'node:os';
import path from 'node:path';
import { silentLogger, stack, type Stack } from '../../lib';
import { send, serve, type Served } from '../support/drillHttp';
import { RecordingNotifier } from '../support/recordingNotifier';
import { ordersAppCopy, runOrdersApp } from '../support/ordersApp';

const readTemplate = promisify(readFile);
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
    router.get('/api/items', (ctx) => { throw new Error(`unknown sort field: ${String(ctx.query.sort)}`); });
    // A library error with no frame of the app quoting a path segment (node's callback API
    // creates its errors outside any JavaScript frame).
    router.get('/api/templates/:name', async (ctx) => { ctx.body = await readTemplate(path.join(os.tmpdir(), 'no-such-templates', ctx.params.name)); });
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

  it('makes one issue of 50 requests whose query value forges frame lines, with none of them in the report', async () => {
    for (let n = 0; n < 50; n++) {
      expect((await send(served.port, `/api/items?sort=x%0A%20%20%20%20at%20fn${n}%20(lib/keys.js:4:1)`)).status).to.equal(500);
    }
    await tripwire.flush();
    expect(tripwire.errors!.stats.accepted).to.equal(50);
    expect(notifier.received).to.have.length(1);
    const [report] = notifier.received;
    expect(report.error!.message).to.match(/^unknown sort field: x\n {4}at fn\d+ \(lib\/keys\.js:4:1\)$/);
    expect(report.error!.frames.map((frame) => frame.file)).to.not.include('lib/keys.js');
    expect(report.error!.frames[0]).to.include({ file: path.relative(process.cwd(), __filename), inApp: true });
    expect(report.grouping!.rule).to.equal('frames');
  });

  it('makes one issue of a library error quoting 10 different letter-only path segments', async () => {
    const names = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];
    for (const name of names) expect((await send(served.port, `/api/templates/${name}`)).status).to.equal(500);
    await tripwire.flush();
    expect(tripwire.errors!.stats.accepted).to.equal(10);
    expect(notifier.received).to.have.length(1);
    expect(notifier.received[0].error!.frames).to.deep.equal([]);
    expect(notifier.received[0].grouping).to.deep.include({ rule: 'message' });
    expect(notifier.received[0].grouping!.detail).to.include("no-such-templates/<value>'").and.not.include('alpha');
  });

  it('makes one issue of the same app run from two install directories, with no absolute path in the report, culprit or alert', async function () {
    this.timeout(120_000);
    const dirs = [ordersAppCopy('tripwire-install-a-'), ordersAppCopy('tripwire-install-b-')];
    try {
      const runs = await Promise.all(dirs.map((dir) => runOrdersApp(dir, 'orders.js')));
      for (const run of runs) {
        expect(run.status).to.equal(500);
        expect(run.reports).to.have.length(1);
        const text = JSON.stringify(run);
        for (const absolute of [...dirs, path.resolve(__dirname, '../..'), os.tmpdir()]) expect(text, absolute).to.not.include(absolute);
        for (const frame of run.reports[0].error!.frames) expect(path.isAbsolute(frame.file ?? ''), String(frame.file)).to.equal(false);
        expect(run.reports[0].error!.frames.some((frame) => frame.async), 'awaited frames parsed').to.equal(true);
        expect(run.culprits[0]).to.equal('orders.js:8:11');
      }
      expect(runs[0].reports[0].fingerprint).to.equal(runs[1].reports[0].fingerprint);
      expect(runs[0].reports[0].grouping).to.deep.equal(runs[1].reports[0].grouping);
    } finally {
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    }
  });
});
