import { expect } from 'chai';
import request from 'supertest';
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

  it('only a boolean true lets a request in', async () => {
    const app = dashboardApp(undefined, { auth: (() => 'yes') as never });
    expect((await request(app.callback()).get('/_tripwire/')).status).to.equal(403);
  });

  it('auth: false serves without a check, on purpose', async () => {
    expect((await request(dashboardApp(undefined, { auth: false }).callback()).get('/_tripwire/')).status).to.equal(200);
  });
});
