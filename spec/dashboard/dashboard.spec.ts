import Router from '@koa/router';
import { expect } from 'chai';
import Koa from 'koa';
import mount from 'koa-mount';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { dashboard } from '../../lib/dashboard/dashboard';
import { stack } from '../../lib/stack';
import { silentLogger } from '../../lib/core/logger';
import { CREDENTIALS, dashboardApp, getPage } from '../support/dashboardApp';
import { DashboardMemoryStore } from '../support/dashboardStore';
import { makeReport } from '../support/reports';

describe('dashboard()', () => {
  const store = new DashboardMemoryStore().add(makeReport({ fingerprint: 'fp-1', title: 'TypeError: boom' }));

  describe('options', () => {
    it('requires auth, naming the choices', () => {
      expect(() => dashboard({ store })).to.throw(TypeError, /`auth` is required.*auth: false/);
    });
    it('rejects unknown keys with the closest name', () => {
      expect(() => dashboard({ store, auth: false, mnt: '/x' } as never)).to.throw(TypeError, /unknown option `mnt`; did you mean `mount`/);
      expect(() => dashboard({ store, auth: { username: 'a', password: 'long enough', pasword: 'x' } as never })).to.throw(TypeError, /pasword/);
    });
    it('refuses a store that is not an IssueStore, a short password, a bad mount', () => {
      expect(() => dashboard({ store: {} as never, auth: false })).to.throw(TypeError, /IssueStore.*listIssues/);
      expect(() => dashboard({ store, auth: { username: 'ops', password: 'short' } })).to.throw(TypeError, /at least 8/);
      expect(() => dashboard({ store, auth: { username: 'a:b', password: 'long enough' } })).to.throw(TypeError, /without ":"/);
      for (const bad of ['_tripwire', '/x/', '/', '/a b', 42]) expect(() => dashboard({ store, auth: false, mount: bad as never })).to.throw(TypeError, /mount/);
      expect(() => dashboard({ store, auth: false, perPage: 0 })).to.throw(RangeError, /perPage/);
    });
  });

  describe('mounting', () => {
    it('serves under the mount and passes every other request on', async () => {
      const app = dashboardApp(store);
      expect((await getPage(app, '/_tripwire')).text).to.include('TypeError: boom');
      expect((await getPage(app, '/_tripwire/')).text).to.include('TypeError: boom');
      for (const path of ['/', '/_tripwirex', '/api/_tripwire', '/other']) expect((await request(app.callback()).get(path)).text).to.equal('app');
    });

    it('works under koa-mount, with every link, form and cookie under the outer prefix', async () => {
      const app = new Koa();
      app.use(mount('/ops', dashboard({ store, auth: CREDENTIALS })));
      const page = await getPage(app, '/ops/_tripwire/');
      expect(page.status).to.equal(200);
      expect(page.text).to.include('href="/ops/_tripwire/issues/fp-1"').and.include('action="/ops/_tripwire/status"').and.include('/ops/_tripwire/assets/dashboard.css');
      expect(page.headers['set-cookie'][0]).to.include('path=/ops/_tripwire');
    });

    it('works under a @koa/router prefix', async () => {
      const app = new Koa();
      const admin = new Router({ prefix: '/admin' });
      admin.all('/_tripwire{/*rest}', dashboard({ store, auth: CREDENTIALS }));
      app.use(admin.routes());
      const page = await getPage(app, '/admin/_tripwire/issues/fp-1');
      expect(page.status).to.equal(200);
      expect(page.text).to.include('TypeError: boom').and.include('href="/admin/_tripwire/broken-links"');
    });

    it("answers only under its own mount: a router with a prefix mounted before it does not move it (issue 18)", async () => {
      const app = new Koa();
      const api = new Router({ prefix: '/api' });
      api.get('/users', (ctx) => { ctx.body = 'users'; });
      app.use(api.routes());
      // A path guard in front of the dashboard, as a proxy or an app's middleware might do it.
      app.use(async (ctx, next) => { if (ctx.path.startsWith('/_tripwire') && ctx.get('X-Admin') !== 'yes') { ctx.status = 403; return; } await next(); });
      app.use(dashboard({ store, auth: false }));
      app.use((ctx) => { ctx.body = 'app'; });
      for (const path of ['/api/_tripwire/', '/api/_tripwire/issues/fp-1', '/api/_tripwire/api/issues']) {
        const response = await request(app.callback()).get(path);
        expect(response.text, path).to.equal('app');
      }
      expect((await request(app.callback()).get('/api/users')).text).to.equal('users');
      expect((await request(app.callback()).get('/_tripwire/')).status).to.equal(403);
      expect((await request(app.callback()).get('/_tripwire/').set('X-Admin', 'yes')).text).to.include('TypeError: boom');
    });

    it("takes a router prefix only from its own route, not from another route's", async () => {
      const app = new Koa();
      const admin = new Router({ prefix: '/admin' });
      admin.all('/other{/*rest}', async (_ctx, next) => next());
      app.use(admin.routes());
      app.use(dashboard({ store, auth: false }));
      app.use((ctx) => { ctx.body = 'app'; });
      expect((await request(app.callback()).get('/admin/other/_tripwire/')).text).to.equal('app');
      expect((await request(app.callback()).get('/admin/_tripwire/')).text).to.equal('app');
    });

    for (const order of ['before', 'after'] as const) {
      it(`works mounted ${order} stack(), its pages left as HTML`, async () => {
        const app = new Koa();
        app.silent = true;
        const tripwire = stack({ errors: { store: null, notifiers: [], logger: silentLogger }, brokenLinks: false });
        const board = dashboard({ store, auth: CREDENTIALS });
        if (order === 'before') app.use(board).use(tripwire);
        else app.use(tripwire).use(board);
        const page = await getPage(app, '/_tripwire/');
        expect(page.status).to.equal(200);
        expect(page.type).to.equal('text/html');
        expect(page.text).to.include('TypeError: boom');
        await tripwire.close();
      });
    }
  });

  describe('responses', () => {
    it('sets a strict CSP and the other protective headers on every answer, even a 401', async () => {
      const app = dashboardApp(store);
      for (const response of [await getPage(app, '/_tripwire/'), await request(app.callback()).get('/_tripwire/')]) {
        const csp = response.headers['content-security-policy'];
        expect(csp).to.include("script-src 'self'").and.include("frame-ancestors 'none'").and.include("default-src 'none'").and.not.include('unsafe-inline');
        expect(response.headers['x-content-type-options']).to.equal('nosniff');
        expect(response.headers['referrer-policy']).to.equal('same-origin');
      }
      expect((await getPage(app, '/_tripwire/')).headers['cache-control']).to.equal('no-store');
    });

    it('serves its stylesheet and script as files, and 404s inside the mount without passing on', async () => {
      const app = dashboardApp(store);
      const js = await getPage(app, '/_tripwire/assets/dashboard.js');
      expect(js.headers['content-type']).to.match(/^text\/javascript/);
      expect(js.text).to.include('data-select-all');
      expect((await getPage(app, '/_tripwire/assets/dashboard.css')).headers['content-type']).to.match(/^text\/css/);
      expect((await getPage(app, '/_tripwire/assets/__proto__')).status).to.equal(404);
      const missing = await getPage(app, '/_tripwire/nothing-here');
      expect(missing.status).to.equal(404);
      expect(missing.text).to.include('Not found');
    });

    it('answers other methods with 405, and never changes state on GET', async () => {
      const app = dashboardApp(store);
      expect((await request(app.callback()).delete('/_tripwire/').auth(CREDENTIALS.username, CREDENTIALS.password)).status).to.equal(405);
      const get = await getPage(app, '/_tripwire/status?issue=error:fp-1&status=resolved');
      expect(get.status).to.equal(405);
      expect(get.headers.allow).to.equal('POST');
      expect(store.statusCalls).to.have.length(0);
    });
  });
});

describe('dashboard() when the store fails', () => {
  it('answers 503 without the error text and hands the error to the app', async () => {
    const store = new DashboardMemoryStore();
    store.listIssues = async () => { throw new Error('connect ECONNREFUSED mongodb://app:hunter2@db'); };
    const app = dashboardApp(store);
    const seen: string[] = [];
    app.on('error', (err: Error) => seen.push(err.message));
    const page = await getPage(app, '/_tripwire/');
    expect(page.status).to.equal(503);
    expect(page.text).to.include('The store did not answer').and.not.include('hunter2');
    expect(seen).to.deep.equal(['connect ECONNREFUSED mongodb://app:hunter2@db']);
  });
});

describe('tripwire.dashboard()', () => {
  it("serves the stack's own store, and says so when the stack has none", async () => {
    const store = new DashboardMemoryStore().add(makeReport({ fingerprint: 'fp-stack', title: 'TypeError: from the stack store' }));
    const outboxDir = mkdtempSync(path.join(os.tmpdir(), 'tripwire-dashboard-'));
    const tripwire = stack({ errors: { store, notifiers: [], logger: silentLogger, delivery: { outboxDir } }, brokenLinks: false });
    expect(tripwire.store).to.equal(store);
    const app = new Koa();
    app.use(tripwire.dashboard({ auth: CREDENTIALS }));
    expect((await getPage(app, '/_tripwire/')).text).to.include('from the stack store');
    await tripwire.close();
    const bare = stack({ errors: { store: null, notifiers: [], logger: silentLogger }, brokenLinks: false });
    expect(bare.store).to.equal(null);
    expect(() => bare.dashboard({ auth: CREDENTIALS })).to.throw(TypeError, /IssueStore/);
    await bare.close();
  });
});
