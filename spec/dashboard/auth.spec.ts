import { expect } from 'chai';
import Koa from 'koa';
import request from 'supertest';
import { dashboard } from '../../lib/dashboard/dashboard';
import { DashboardMemoryStore } from '../support/dashboardStore';
import { makeReport } from '../support/reports';
import { CREDENTIALS, dashboardApp, getPage } from '../support/dashboardApp';

describe('dashboard auth', () => {
  it('answers 401 with a Basic challenge without credentials or with wrong ones', async () => {
    const app = dashboardApp();
    const wrong: Array<[string, string] | null> = [null, ['ops', 'wrong'], ['other', CREDENTIALS.password], [CREDENTIALS.username, `${CREDENTIALS.password}x`], ['', '']];
    for (const credentials of wrong) {
      let test = request(app.callback()).get('/_tripwire/');
      if (credentials) test = test.auth(...credentials);
      const response = await test;
      expect(response.status, String(credentials)).to.equal(401);
      expect(response.headers['www-authenticate']).to.equal('Basic realm="tripwire", charset="UTF-8"');
      expect(response.text).to.not.include('Issues');
    }
    for (const header of ['Basic', 'Basic !!!', 'Bearer x', `Basic ${Buffer.from('no-colon').toString('base64')}`]) {
      expect((await request(app.callback()).get('/_tripwire/').set('Authorization', header)).status).to.equal(401);
    }
  });

  it('lets the right credentials in, a password containing ":" included', async () => {
    expect((await getPage(dashboardApp(), '/_tripwire/')).status).to.equal(200);
    const app = dashboardApp(undefined, { auth: { username: 'ops', password: 'pass:with:colons' } });
    expect((await request(app.callback()).get('/_tripwire/').auth('ops', 'pass:with:colons')).status).to.equal(200);
  });

  it('protects the assets and the actions too', async () => {
    const app = dashboardApp();
    expect((await request(app.callback()).get('/_tripwire/assets/dashboard.js')).status).to.equal(401);
    expect((await request(app.callback()).post('/_tripwire/status').type('form').send('status=resolved&issue=error:x')).status).to.equal(401);
  });

  it("uses the app's own check: 403 when it refuses, its redirect kept, async checks awaited", async () => {
    const seen: string[] = [];
    const app = dashboardApp(undefined, {
      auth: async (ctx) => {
        seen.push(ctx.path);
        if (ctx.get('X-Role') === 'admin') return true;
        if (ctx.get('X-Role') === 'anonymous') ctx.redirect('/login');
        return false;
      },
    });
    expect((await request(app.callback()).get('/_tripwire/').set('X-Role', 'admin')).status).to.equal(200);
    expect((await request(app.callback()).get('/_tripwire/').set('X-Role', 'user')).status).to.equal(403);
    const redirected = await request(app.callback()).get('/_tripwire/').set('X-Role', 'anonymous');
    expect(redirected.status).to.equal(302);
    expect(redirected.headers.location).to.equal('/login');
    expect(seen).to.have.length(3);
  });

  it("names who acted in each status change: Basic's username, the check's { user }, or ctx.state.user", async () => {
    const resolveWith = async (app: Koa, store: DashboardMemoryStore, headers: Record<string, string> = {}, basic = false) => {
      const page = request(app.callback()).get('/_tripwire/').set(headers);
      const { headers: got, text } = await (basic ? page.auth(CREDENTIALS.username, CREDENTIALS.password) : page);
      const cookie = (got['set-cookie'] as unknown as string[])[0].split(';')[0];
      const token = /name="_csrf" value="([^"]+)"/.exec(text)![1];
      const post = request(app.callback()).post('/_tripwire/status').set({ ...headers, Cookie: cookie }).type('form');
      await (basic ? post.auth(CREDENTIALS.username, CREDENTIALS.password) : post).send(`_csrf=${token}&issue=error:a&status=resolved`);
      return store.statusCalls.at(-1)!.change!.actor;
    };
    const fresh = () => new DashboardMemoryStore().add(makeReport({ fingerprint: 'a' }));
    let store = fresh();
    expect(await resolveWith(dashboardApp(store), store, {}, true)).to.equal('ops');
    store = fresh();
    expect(await resolveWith(dashboardApp(store, { auth: (ctx) => (ctx.get('X-Who') ? { user: ctx.get('X-Who') } : false) }), store, { 'X-Who': 'alice@example.com' })).to.equal('alice@example.com');
    // The app's login middleware left the user on ctx.state (koa-passport style), the check says true.
    for (const [user, expected] of [[{ id: 42, username: 'bob' }, 'bob'], ['carol', 'carol'], [undefined, null]] as const) {
      store = fresh();
      const app = new Koa();
      app.use(async (ctx, next) => { ctx.state.user = user; await next(); });
      app.use(dashboard({ store, auth: () => true }));
      expect(await resolveWith(app, store)).to.equal(expected);
    }
  });

  it('only a boolean true lets a request in', async () => {
    const app = dashboardApp(undefined, { auth: (() => 'yes') as never });
    expect((await request(app.callback()).get('/_tripwire/')).status).to.equal(403);
  });

  it('auth: false serves without a check, on purpose', async () => {
    expect((await request(dashboardApp(undefined, { auth: false }).callback()).get('/_tripwire/')).status).to.equal(200);
  });
});
