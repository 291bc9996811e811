import { expect } from 'chai';
import Koa from 'koa';
import request from 'supertest';
import { brokenLinkReporter, type BrokenLinkReporterOptions } from '../../lib/brokenLinks/brokenLinkReporter';
import type { Logger } from '../../lib/core/logger';
import { RecordingNotifier } from '../support/recordingNotifier';
import { createClient } from '../../lib/client/client';
import { errorReporter } from '../../lib/middleware/errorReporter';
import { silentLogger } from '../../lib/core/logger';

function setup(handler: Koa.Middleware, options: BrokenLinkReporterOptions = {}) {
  const notifier = new RecordingNotifier();
  const logged: string[] = [];
  const logger: Logger = { info: () => {}, warn: (m) => logged.push(m), error: (m) => logged.push(m) };
  const reporter = brokenLinkReporter({ store: null, notifiers: [notifier], logger, ...options });
  const app = new Koa();
  app.silent = true;
  app.use(reporter);
  app.use(handler);
  return { app: app.callback(), reporter, notifier, logged };
}

describe('brokenLinkReporter', () => {
  it('reports a thrown or set 404 reached through a referer, titled like Django', async () => {
    const { app, reporter, notifier } = setup((ctx) => {
      if (ctx.path === '/thrown') ctx.throw(404);
      ctx.status = 404;
    });
    await request(app).get('/thrown').set('Host', 'site.test').set('Referer', 'http://site.test/index').expect(404);
    await request(app).get('/set?x=1').set('Host', 'site.test').set('Referer', 'https://other.test/').expect(404);
    await request(app).get('/no-referer').expect(404);
    await reporter.flush();
    expect(notifier.received.map((r) => [r.title, r.brokenLink!.url])).to.deep.equal([
      ['Broken INTERNAL link on site.test', '/thrown'],
      ['Broken link on site.test', '/set?x=1'],
    ]);
    expect(notifier.received[0].kind).to.equal('broken-link');
    expect(reporter.stats).to.include({ accepted: 2, alerts: 2, dropped: 0 });
    await reporter.close(1000);
  });

  it('ignores common noise by default (favicon, robots.txt, .php probes)', async () => {
    const { app, reporter, notifier } = setup(() => {});
    for (const path of ['/favicon.ico', '/robots.txt', '/wp-login.php']) await request(app).get(path).set('Referer', '/x').expect(404);
    await reporter.flush();
    expect(notifier.received).to.have.length(0);
    await reporter.close(1000);
  });

  it('alerts once per link per window and counts the rest', async () => {
    const { app, reporter, notifier } = setup(() => {});
    for (let i = 0; i < 20; i += 1) await request(app).get('/old').set('Referer', '/blog').expect(404);
    await reporter.flush();
    expect(notifier.received).to.have.length(1);
    expect(notifier.received[0].alert!.reason).to.equal('new');
    await reporter.close(1000);
  });

  it('builds no report on the request path: a storm of one crafted link costs a counter; the worker builds what is stored', async () => {
    let builds = 0;
    const getUser = () => { builds++; return { id: null, username: 'Anonymous' }; };
    const notifier = new RecordingNotifier();
    const reporter = brokenLinkReporter({ store: null, notifiers: [notifier], getUser, delivery: { eventsPerMinute: 5 } });
    const duringRequest: number[] = [];
    const app = new Koa();
    app.silent = true;
    // Outside the reporter: what a request's own path built, before the worker's turn.
    app.use(async (ctx, next) => { const before = builds; await next(); duringRequest.push(builds - before); });
    app.use(reporter);
    app.use(() => {});
    const referer = 'eyJ-'.repeat(1750);
    for (let i = 0; i < 40; i++) await request(app.callback()).get('/gone').set('Referer', referer).expect(404);
    expect(duringRequest.every((n) => n === 0), 'nothing built while answering').to.equal(true);
    expect(reporter.stats).to.include({ accepted: 40, folded: 35 });
    await reporter.flush();
    // Five events of the minute and one tally for the 35 folded: six builds for 40 requests.
    expect(builds).to.equal(6);
    expect(notifier.received).to.have.length(1);
    await reporter.close(1000);
  });

  it('shares a client given by hand with the error reporter: one delivery, closed by its owner', async () => {
    const notifier = new RecordingNotifier();
    const client = createClient({ store: null, notifiers: [notifier], logger: silentLogger });
    const links = brokenLinkReporter({ client });
    const errors = errorReporter({ client });
    expect(links.client).to.equal(client);
    const app = new Koa();
    app.silent = true;
    app.use(errors);
    app.use(links);
    app.use((ctx) => { if (ctx.path === '/crash') throw new Error('boom'); });
    await request(app.callback()).get('/crash').expect(500);
    await request(app.callback()).get('/gone').set('Referer', '/home').expect(404);
    await links.close(1000);
    await errors.close(1000);
    expect(notifier.closed, 'a reporter given a client does not close it').to.equal(false);
    await client.flush();
    expect(client.stats).to.include({ accepted: 2 });
    expect(notifier.received.map((r) => r.kind).sort()).to.deep.equal(['broken-link', 'error']);
    await client.close(1000);
    expect(notifier.closed).to.equal(true);
  });

  it('keeps the 404 response when its isIgnorable hook throws, and logs it', async () => {
    const { app, reporter, logged } = setup(() => {}, { isIgnorable: () => { throw new Error('hook bug'); } });
    await request(app).get('/x').set('Referer', '/y').expect(404);
    expect(logged.join('\n')).to.include('hook bug');
    await reporter.close(1000);
  });

  it('refuses bad options with a clear error', () => {
    expect(() => brokenLinkReporter({ ignoreUserAgents: ['bot' as unknown as RegExp] })).to.throw(TypeError, /ignoreUserAgents/);
    expect(() => brokenLinkReporter({ isIgnorable: true as unknown as () => boolean })).to.throw(TypeError, /isIgnorable/);
  });
});
