import { expect } from 'chai';
import Koa from 'koa';
import bodyParser from 'koa-bodyparser';
import { dashboard } from '../../lib/dashboard/dashboard';
import { CREDENTIALS, dashboardApp, getPage, postForm, session } from '../support/dashboardApp';
import { DashboardMemoryStore } from '../support/dashboardStore';
import { makeBrokenLinkReport, makeReport } from '../support/reports';

describe('dashboard status actions', () => {
  let store: DashboardMemoryStore;
  let app: Koa;
  beforeEach(() => {
    store = new DashboardMemoryStore().add(
      makeReport({ fingerprint: 'a' }), makeReport({ fingerprint: 'b' }), makeBrokenLinkReport('/old', 'http://127.0.0.1/'),
    );
    app = dashboardApp(store);
  });

  it('resolves an issue and answers 303 back to the page it came from', async () => {
    const { cookie, token } = await session(app);
    const response = await postForm(app, { _csrf: token, issue: 'error:a', status: 'resolved', back: '/issues/a?e=2' }, { Cookie: cookie, 'Sec-Fetch-Site': 'same-origin' });
    expect(response.status).to.equal(303);
    expect(response.headers.location).to.match(/^\/_tripwire\/issues\/a\?e=2&done=[\w-]+$/);
    expect(store.issues.get('error:a')!.status).to.equal('resolved');
  });

  it('applies a bulk action to every selected issue of either kind', async () => {
    const { cookie, token } = await session(app);
    const fingerprint = [...store.issues.values()].find((i) => i.kind === 'broken-link')!.fingerprint;
    const response = await postForm(app, { _csrf: token, issue: ['error:a', 'error:b', `broken-link:${fingerprint}`], status: 'ignored' }, { Cookie: cookie });
    expect(response.status).to.equal(303);
    expect(store.statusCalls.map((c) => [c.kind, c.status])).to.deep.equal([['error', 'ignored'], ['error', 'ignored'], ['broken-link', 'ignored']]);
  });

  it('snoozes until a time or for a number of occurrences', async () => {
    const { cookie, token } = await session(app);
    const before = Date.now();
    await postForm(app, { _csrf: token, issue: 'error:a', status: 'snoozed', snooze: '24h' }, { Cookie: cookie });
    await postForm(app, { _csrf: token, issue: 'error:b', status: 'snoozed', snooze: '100x' }, { Cookie: cookie });
    const [time, count] = store.statusCalls;
    expect(time.snooze!.until!.getTime()).to.be.at.least(before + 86_400_000);
    expect(count.snooze).to.deep.equal({ untilCount: 100 });
    expect((await postForm(app, { _csrf: token, issue: 'error:b', status: 'snoozed', snooze: 'forever' }, { Cookie: cookie })).status).to.equal(400);
  });

  it('refuses a cross-site POST, by fetch metadata or by Origin, even with a valid token', async () => {
    const { cookie, token } = await session(app);
    const fields = { _csrf: token, issue: 'error:a', status: 'resolved' };
    const refused: Array<Record<string, string>> = [
      { 'Sec-Fetch-Site': 'cross-site' }, { 'Sec-Fetch-Site': 'same-site' }, { 'Sec-Fetch-Site': 'none' },
      { 'Sec-Fetch-Site': 'cross-site', Origin: 'http://127.0.0.1' }, { Origin: 'https://evil.example' }, { Origin: 'null' },
    ];
    for (const headers of refused) {
      const response = await postForm(app, fields, { Cookie: cookie, ...headers });
      expect(response.status, JSON.stringify(headers)).to.equal(403);
    }
    expect(store.statusCalls).to.have.length(0);
  });

  it('refuses a POST without the session token, or with another one', async () => {
    const { cookie, token } = await session(app);
    const fields = { issue: 'error:a', status: 'resolved' };
    expect((await postForm(app, fields, { Cookie: cookie })).status).to.equal(403);
    expect((await postForm(app, { ...fields, _csrf: token })).status).to.equal(403);
    // Another token of the same shape: the last character changed (never to itself, or 1 run in 64 would pass).
    const another = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    expect((await postForm(app, { ...fields, _csrf: another }, { Cookie: cookie })).text).to.match(/CSRF/);
    expect(store.statusCalls).to.have.length(0);
  });

  it('says what a bulk action did, and Undo (a CSRF-checked POST) restores every previous status once', async () => {
    await store.setStatus('error', 'b', 'snoozed', { until: new Date(Date.now() + 3_600_000) });
    const { cookie, token } = await session(app);
    const headers = { Cookie: cookie, 'Sec-Fetch-Site': 'same-origin' };
    const done = await postForm(app, { _csrf: token, issue: ['error:a', 'error:b'], status: 'resolved', back: '/?q=x' }, headers);
    const location = done.headers.location as string;
    const page = await getPage(app, location).set('Cookie', cookie);
    expect(page.text).to.include('<span data-done>2 issues resolved</span>').and.include('action="/_tripwire/undo"');
    const undoId = /name="undo" value="([^"]+)"/.exec(page.text)![1];
    expect((await postForm(app, { undo: undoId }, headers, '/_tripwire/undo')).status).to.equal(403);
    const undone = await postForm(app, { _csrf: token, undo: undoId, back: '/?q=x' }, headers, '/_tripwire/undo');
    expect(undone.status).to.equal(303);
    expect(undone.headers.location).to.match(/^\/_tripwire\/\?q=x&done=/);
    expect(store.issues.get('error:a')!.status).to.equal('open');
    expect(store.issues.get('error:b')!.status).to.equal('snoozed');
    expect(store.statusCalls.slice(-2).map((c) => [c.fingerprint, c.status, c.change?.via, c.change?.actor])).to.deep.equal([['a', 'open', 'undo', 'ops'], ['b', 'snoozed', 'undo', 'ops']]);
    expect((await getPage(app, undone.headers.location).set('Cookie', cookie)).text).to.include('2 issues restored');
    expect((await postForm(app, { _csrf: token, undo: undoId }, headers, '/_tripwire/undo')).status).to.equal(410);
  });

  it('passes who acted, from where, and the configured release to the store', async () => {
    const released = dashboardApp(store, { release: '1.4.2' });
    const { cookie, token } = await session(released);
    await postForm(released, { _csrf: token, issue: 'error:a', status: 'resolved', via: 'issue page' }, { Cookie: cookie });
    expect(store.statusCalls.at(-1)!.change).to.deep.equal({ actor: 'ops', via: 'issue page', release: '1.4.2' });
    expect(store.issues.get('error:a')!.resolvedIn).to.equal('1.4.2');
  });

  it('validates every field, and never redirects off the dashboard', async () => {
    const { cookie, token } = await session(app);
    const post = (fields: Record<string, string | string[]>) => postForm(app, { _csrf: token, ...fields }, { Cookie: cookie });
    expect((await post({ issue: 'error:a', status: 'deleted' })).status).to.equal(400);
    expect((await post({ status: 'resolved' })).status).to.equal(400);
    expect((await post({ issue: 'nokind', status: 'resolved' })).status).to.equal(400);
    expect((await post({ issue: 'user:a', status: 'resolved' })).status).to.equal(400);
    expect((await post({ issue: Array.from({ length: 501 }, (_, i) => `error:${i}`), status: 'resolved' })).status).to.equal(400);
    for (const back of ['//evil.example/x', 'https://evil.example', '/\\evil.example', 'javascript:alert(1)']) {
      const response = await post({ issue: 'error:a', status: 'open', back });
      expect(response.headers.location, back).to.match(/^\/_tripwire\/\?done=[\w-]+$/);
    }
  });

  it('refuses a body that is not a form, or too large', async () => {
    const { cookie, token } = await session(app);
    const json = await postForm(app, {}, { Cookie: cookie, 'Content-Type': 'application/json' });
    expect(json.status).to.equal(415);
    const huge = await postForm(app, { _csrf: token, issue: 'error:a', status: 'resolved', pad: 'x'.repeat(70_000) }, { Cookie: cookie });
    expect(huge.status).to.equal(413);
  });

  it('reads the form a body parser already parsed (mounted after one)', async () => {
    const parsed = new Koa();
    parsed.use(bodyParser());
    parsed.use(dashboard({ store, auth: CREDENTIALS }));
    const { cookie, token } = await session(parsed);
    const response = await postForm(parsed, { _csrf: token, issue: ['error:a', 'error:b'], status: 'resolved' }, { Cookie: cookie });
    expect(response.status).to.equal(303);
    expect(store.statusCalls).to.have.length(2);
  });
});
