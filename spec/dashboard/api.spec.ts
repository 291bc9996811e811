// The JSON API over real HTTP, against reports built by real requests: the same login as
// the pages (or the Bearer token), the same CSRF rules for browsers, everything as stored.
import { expect } from 'chai';
import Koa from 'koa';
import request from 'supertest';
import { silentLogger } from '../../lib/core/logger';
import { dashboard } from '../../lib/dashboard/dashboard';
import { stack } from '../../lib/stack';
import { DashboardMemoryStore } from '../support/dashboardStore';
import { makeReport } from '../support/reports';
import { CREDENTIALS, startTriageApp, type TriageApp, SHA_RELEASE } from '../support/dashboardApp';

const TOKEN = 'spec-api-token-0123456789abcdef';

describe('dashboard JSON API', () => {
  let live: TriageApp;
  let fingerprint: string;
  const api = () => request(live.origin);

  before(async () => {
    live = await startTriageApp({ apiToken: TOKEN });
    await live.hit('/api/report', { headers: { Authorization: 'Bearer client-secret-abc123', Cookie: 'session=client-cookie-secret' } });
    await live.hit('/api/charge', { method: 'POST' });
    await live.hit('/api/orders/1234', { headers: { 'X-User': '7' } });
    fingerprint = [...live.store.issues.values()].find((i) => i.message?.startsWith('Report failed'))!.fingerprint;
  });
  after(() => live?.close());

  it('lists issues with the list filters, behind the login', async () => {
    expect((await api().get('/_tripwire/api/issues')).status).to.equal(401);
    const all = await api().get('/_tripwire/api/issues').auth(CREDENTIALS.username, CREDENTIALS.password);
    expect(all.status).to.equal(200);
    expect(all.type).to.equal('application/json');
    expect(all.body.issues).to.have.length(3);
    expect(all.body).to.include({ page: 1, hasMore: false });
    const searched = await api().get('/_tripwire/api/issues?q=order&status=open&perPage=1').auth(CREDENTIALS.username, CREDENTIALS.password);
    expect(searched.body.issues.map((i: { message: string }) => i.message)).to.deep.equal(['Order x has no owner']);
    expect(searched.body.perPage).to.equal(1);
  });

  it('returns one issue with its activity, and its events as stored: scrubbed, nothing of the secrets', async () => {
    const issue = await api().get(`/_tripwire/api/issues/${fingerprint}`).set('Authorization', `Bearer ${TOKEN}`);
    expect(issue.status).to.equal(200);
    expect(issue.body.issue).to.include({ fingerprint, kind: 'error', count: 1 });
    expect(issue.body.activity[0].action).to.equal('created');
    const events = await api().get(`/_tripwire/api/issues/${fingerprint}/events`).set('Authorization', `Bearer ${TOKEN}`);
    expect(events.body.events).to.have.length(1);
    expect(events.body.events[0].request.path).to.equal('/api/report');
    expect(events.text).to.not.include('client-secret-abc123').and.not.include('client-cookie-secret');
    const charge = [...live.store.issues.values()].find((i) => i.upstream)!;
    const upstream = await api().get(`/_tripwire/api/issues/${charge.fingerprint}/events`).set('Authorization', `Bearer ${TOKEN}`);
    expect(upstream.body.events[0].error.http).to.include({ method: 'POST', status: 502 });
    expect(upstream.text).to.not.include('sk_live_upstreamsecret123').and.not.include('upstream-secret-token');
    expect((await api().get('/_tripwire/api/issues/no-such-issue').set('Authorization', `Bearer ${TOKEN}`)).status).to.equal(404);
  });

  it('refuses a wrong token, and opens only the API with the right one', async () => {
    expect((await api().get('/_tripwire/api/issues').set('Authorization', 'Bearer wrong-token-0123456789abcdef')).status).to.equal(401);
    expect((await api().get('/_tripwire/').set('Authorization', `Bearer ${TOKEN}`)).status).to.equal(403);
  });

  it('changes a status with the token, recording the change as made through the API', async () => {
    const response = await api().post(`/_tripwire/api/issues/${fingerprint}/status`).set('Authorization', `Bearer ${TOKEN}`).send({ status: 'resolved' });
    expect(response.status).to.equal(200);
    expect(response.body.issue.status).to.equal('resolved');
    expect(response.body.previous).to.equal('open');
    const call = live.store.statusCalls.at(-1)!;
    expect(call).to.deep.include({ fingerprint, status: 'resolved' });
    // The stack tells its dashboard the release its reporters stamp.
    expect(call.change).to.deep.equal({ actor: 'api token', via: 'api', release: SHA_RELEASE });
    const snoozed = await api().post(`/_tripwire/api/issues/${fingerprint}/status`).set('Authorization', `Bearer ${TOKEN}`).send({ status: 'snoozed', snooze: '10x' });
    expect(snoozed.body.issue).to.include({ status: 'snoozed', snoozedUntilCount: 11 });
    expect((await api().post(`/_tripwire/api/issues/${fingerprint}/status`).set('Authorization', `Bearer ${TOKEN}`).send({ status: 'deleted' })).status).to.equal(400);
    expect((await api().post(`/_tripwire/api/issues/${fingerprint}/status`).set('Authorization', `Bearer ${TOKEN}`).send({ status: 'snoozed' })).status).to.equal(400);
  });

  it('applies the CSRF rules to a browser: cross-site refused, a cookie session needs its token, forms refused', async () => {
    const post = () => api().post(`/_tripwire/api/issues/${fingerprint}/status`).auth(CREDENTIALS.username, CREDENTIALS.password);
    // A script with Basic credentials and no cookie (curl) may post JSON.
    expect((await post().send({ status: 'open' })).status).to.equal(200);
    expect(live.store.statusCalls.at(-1)!.change).to.deep.include({ actor: CREDENTIALS.username, via: 'api' });
    expect((await post().set('Sec-Fetch-Site', 'cross-site').send({ status: 'ignored' })).status).to.equal(403);
    expect((await post().set('Origin', 'http://evil.example').send({ status: 'ignored' })).status).to.equal(403);
    // What a cross-site HTML form can send: a form body, never JSON.
    expect((await post().type('form').send('status=ignored')).status).to.equal(415);
    const page = await api().get('/_tripwire/').auth(CREDENTIALS.username, CREDENTIALS.password);
    const cookie = (page.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    expect((await post().set('Cookie', cookie).send({ status: 'ignored' })).status).to.equal(403);
    expect((await post().set('Cookie', cookie).set('X-CSRF-Token', token).send({ status: 'ignored' })).status).to.equal(200);
    expect([...live.store.issues.values()].find((i) => i.fingerprint === fingerprint)!.status).to.equal('ignored');
  });

  it('answers 405 for a wrong method and 404 for an unknown path, as JSON', async () => {
    const auth = (test: request.Test) => test.auth(CREDENTIALS.username, CREDENTIALS.password);
    const wrong = await auth(api().post('/_tripwire/api/issues'));
    expect(wrong.status).to.equal(405);
    expect(wrong.headers.allow).to.equal('GET, HEAD');
    expect((await auth(api().get('/_tripwire/api/nothing'))).body).to.deep.equal({ error: 'no such API path' });
  });

  it('answers its own JSON when mounted after stack(), never wrapped in the envelope', async () => {
    const store = new DashboardMemoryStore().add(makeReport({ fingerprint: 'after' }));
    const app = new Koa();
    const tripwire = stack({ errors: { store: null, notifiers: [], logger: silentLogger }, brokenLinks: false });
    app.use(tripwire).use(dashboard({ store, auth: CREDENTIALS }));
    try {
      const response = await request(app.callback()).get('/_tripwire/api/issues/after').auth(CREDENTIALS.username, CREDENTIALS.password);
      expect(response.body.issue.fingerprint).to.equal('after');
      expect(response.body).to.not.have.property('success');
    } finally {
      await tripwire.close();
    }
  });
});
