import { expect } from 'chai';
import Koa from 'koa';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import request from 'supertest';
import type { Report } from '../../lib/report/Report';
import type { Store } from '../../lib/contracts/store';
import { occurrencesOf } from '../../lib/report/occurrences';
import { errorReporter, type ErrorReporterOptions } from '../../lib/middleware/errorReporter';
import { silentLogger } from '../../lib/core/logger';
import { RecordingNotifier } from '../support/recordingNotifier';

function setup(handler: Koa.Middleware, options: ErrorReporterOptions = {}) {
  const notifier = new RecordingNotifier();
  const reporter = errorReporter({
    store: null, notifiers: [notifier], logger: silentLogger,
    delivery: { outboxDir: mkdtempSync(path.join(os.tmpdir(), 'tripwire-reporter-')) }, ...options,
  });
  const seen: unknown[] = [];
  const app = new Koa();
  app.silent = true;
  app.use(async (ctx, next) => {
    try { await next(); } catch (err) { seen.push(err); ctx.status = 500; ctx.body = 'shaped outside'; }
  });
  app.use(reporter);
  app.use(handler);
  return { app: app.callback(), reporter, notifier, seen };
}

describe('errorReporter', () => {
  it('rethrows the very error it reports, and reports it once', async () => {
    const thrown = new Error('original');
    const { app, reporter, notifier, seen } = setup(() => { throw thrown; });
    const res = await request(app).get('/x').expect(500);
    expect(res.text).to.equal('shaped outside');
    expect(seen).to.deep.equal([thrown]);
    await reporter.flush();
    expect(notifier.received).to.have.length(1);
    expect(reporter.stats).to.include({ accepted: 1, folded: 0, stored: 0, dropped: 0, alerts: 1 });
    expect(notifier.received[0].error).to.include({ type: 'Error', message: 'original' });
    expect(notifier.received[0].title).to.equal('Internal Server Error: /x');
    await reporter.close(1000);
  });

  it("warns once per app when Koa's default printer would log errors unscrubbed, and not when the app is silent", async () => {
    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (message: string) => { warnings.push(message); } };
    const reporter = errorReporter({ store: null, notifiers: [], logger });
    const appFor = (silent: boolean) => {
      const app = new Koa();
      app.silent = silent;
      app.use(async (ctx, next) => {
        try { await next(); } catch { ctx.status = 500; }
      });
      app.use(reporter);
      app.use(() => { throw new Error('boom'); });
      // Koa attaches its printer on callback() when the app has no 'error' listener.
      return app.callback();
    };
    const quiet = appFor(true);
    await request(quiet).get('/x').expect(500);
    expect(warnings).to.deep.equal([]);
    const loud = appFor(false);
    await request(loud).get('/x').expect(500);
    await request(loud).get('/x').expect(500);
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.match(/app\.silent = true/);
    await reporter.close(1000);
  });

  it('reports a 5xx set without a throw, and not client errors unless reportStatuses asks', async () => {
    const { app, reporter, notifier } = setup((ctx) => {
      ctx.status = Number(ctx.query.status);
    }, { reportStatuses: [404] });
    await request(app).get('/x?status=502').expect(502);
    await request(app).get('/x?status=404').expect(404);
    await request(app).get('/x?status=422').expect(422);
    await reporter.flush();
    expect(notifier.received.map((r) => r.status).sort()).to.deep.equal([404, 502]);
    expect(notifier.received.find((r) => r.status === 502)!.error!.type).to.equal('ResponseStatus');
    await reporter.close(1000);
  });

  it('gives a request id to the client when no requestContext ran, and uses it in the report', async () => {
    const { app, reporter, notifier } = setup(() => { throw new Error('x'); });
    await request(app).get('/x').expect(500);
    await reporter.flush();
    expect(notifier.received[0].request!.requestId).to.match(/^[0-9a-f-]{36}$/);
    await reporter.close(1000);
  });

  it('captures errors the app caught itself, with or without a request', async () => {
    const { app, reporter, notifier } = setup((ctx) => {
      ctx.body = { id: reporter.captureException(new TypeError('caught in a route'), ctx) };
    });
    const res = await request(app).get('/caught').expect(200);
    const loose = reporter.captureException(new RangeError('caught in a job'));
    await reporter.flush();
    const ids = notifier.received.map((r) => r.id);
    expect(ids).to.include(res.body.id).and.include(loose);
    const job = notifier.received.find((r) => r.id === loose)!;
    expect(job.request).to.equal(null);
    expect(job.title).to.equal('RangeError: caught in a job');
    await reporter.close(1000);
  });

  it('never lets a failing notifier touch the request or raise an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const { app, reporter } = setup(() => { throw new Error('x'); }, { notifiers: [new RecordingNotifier('a', 'throw'), new RecordingNotifier('b', 'reject')] });
      await request(app).get('/x').expect(500);
      await reporter.flush();
      await new Promise((r) => setImmediate(r));
      expect(unhandled).to.deep.equal([]);
      await reporter.close(1000);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('in a storm of one error, stores eventsPerMinute events and one tally built from the latest occurrence, scrubbed, counting the rest', async () => {
    const saved: Report[] = [];
    const store: Store = {
      async save(reports) {
        saved.push(...reports);
        return reports.map((r) => ({ kind: r.kind, fingerprint: r.fingerprint, added: occurrencesOf(r), count: null, isNew: false, regressed: false }));
      },
    };
    let thrown = 0;
    const { app, reporter } = setup(() => { thrown++; throw new Error(`order ${thrown} failed`); }, { store, notifiers: [], delivery: { eventsPerMinute: 3, outboxDir: mkdtempSync(path.join(os.tmpdir(), 'tripwire-reporter-')) } });
    const server = http.createServer(app).listen(0, '127.0.0.1');
    try {
      const agent = request.agent(server);
      for (let n = 1; n <= 40; n++) await agent.get(`/orders/${n}?token=planted-${n}`).set('Authorization', `Bearer planted-${n}`).expect(500);
    } finally {
      // The tally is built after its request's socket is gone.
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    await reporter.flush();
    expect(reporter.stats).to.include({ accepted: 40, folded: 37 });
    expect(saved.map((r) => r.occurrences ?? 1)).to.deep.equal([1, 1, 1, 37]);
    expect(new Set(saved.map((r) => r.fingerprint)).size).to.equal(1);
    const tally = saved[3];
    expect(tally.error!.message).to.equal('order 40 failed');
    expect(tally.request!.path).to.equal('/orders/40');
    expect(tally.request!.ip).to.match(/127\.0\.0\.1/);
    expect(JSON.stringify(saved)).not.to.match(/planted-/);
    await reporter.close(1000);
  });

  it('refuses bad options with a clear error', () => {
    expect(() => errorReporter({ reportStatuses: [42] })).to.throw(TypeError, /reportStatuses/);
    expect(() => errorReporter({ store: null, notifiers: [], limits: { maxFrames: -1 } })).to.throw(/maxFrames/);
  });
});
