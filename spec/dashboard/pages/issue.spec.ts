import { expect } from 'chai';
import { dashboardApp, getPage } from '../../support/dashboardApp';
import { DashboardMemoryStore } from '../../support/dashboardStore';
import { makeReport, sampleError, sampleRequest } from '../../support/reports';

describe('dashboard issue page', () => {
  const older = makeReport({ fingerprint: 'fp', title: 'TypeError: boom', timestamp: new Date(Date.now() - 60_000).toISOString(), request: sampleRequest({ url: '/older' }) });
  const latest = makeReport({
    fingerprint: 'fp', title: 'TypeError: boom', occurrences: 3, release: '2.0.0', environment: 'production',
    user: { id: '7', username: 'alice' },
    error: sampleError({
      type: 'TypeError', message: 'boom',
      frames: [
        { file: '/app/node_modules/koa-compose/index.js', line: 42, column: 32, function: 'dispatch', inApp: false },
        Object.assign({ file: '/app/routes/users.ts', line: 12, column: 7, function: 'loadUser', inApp: true }, { context: { pre: ['function loadUser() {', '  const id = 1;'], line: '  throw new TypeError("boom");', post: ['}'] } }),
      ],
      cause: [{ type: 'MongoError', message: 'connection refused', stack: null, frames: [], extra: {} }],
      extra: { code: 'E_BOOM' },
    }),
    request: sampleRequest({
      method: 'POST', url: '/users/1?x=1', query: { x: '1' }, headers: { authorization: '********', 'user-agent': 'spec-agent' },
      body: { password: '********', name: 'bob' }, ip: '203.0.113.9', requestId: 'req-42', userAgent: 'spec-agent', referer: 'javascript:alert(1)',
    }),
  });
  const store = new DashboardMemoryStore().add(older, latest);
  const app = dashboardApp(store);

  it('shows the issue with its counts, environments, releases, charts and actions', async () => {
    const page = await getPage(app, '/_tripwire/issues/fp');
    expect(page.status).to.equal(200);
    expect(page.text).to.include('<h1>TypeError: boom</h1>');
    expect(page.text).to.match(/<dt>Events<\/dt><dd>4[< ]/).and.match(/<dt>Last 24 h<\/dt><dd>4<\/dd>/);
    expect(page.text).to.include('<dt>Releases</dt><dd><span title="2.0.0">2.0.0</span></dd>').and.include('production');
    expect(page.text.match(/<svg class="chart big"/g)).to.have.length(2);
    for (const action of ['resolved', 'ignored', 'snoozed']) expect(page.text).to.include(`name="status" value="${action}"`);
    expect(page.text).to.not.include('name="status" value="open"');
  });

  it('shows the latest event: frames with in-app ones marked, source context, cause, request, user, occurrences', async () => {
    const { text } = await getPage(app, '/_tripwire/issues/fp');
    expect(text).to.include('<li class="frame app"><span class="fn mono">loadUser</span> <span class="mono">/app/routes/users.ts:12:7</span>');
    expect(text).to.include('<li class="frame lib"><span class="fn mono">dispatch</span>');
    expect(text).to.include('<li class="hit"><span class="ln">12</span>  throw new TypeError(&quot;boom&quot;);</li>');
    expect(text).to.include('<span class="ln">10</span>function loadUser() {');
    expect(text).to.include('Caused by').and.include('MongoError').and.include('connection refused');
    expect(text).to.include('POST</strong> /users/1?x=1').and.include('req-42').and.include('203.0.113.9').and.include('&quot;password&quot;: &quot;********&quot;');
    expect(text).to.include('alice (id 7)').and.include('stands for <strong>3</strong> occurrences').and.include('E_BOOM');
    expect(text).to.not.include('href="javascript:');
  });

  it('pages through earlier events, and opens one by id', async () => {
    const second = await getPage(app, '/_tripwire/issues/fp?e=2');
    expect(second.text).to.include('/older').and.include('rel="prev"').and.not.include('rel="next"');
    expect((await getPage(app, '/_tripwire/issues/fp')).text).to.include('href="/_tripwire/issues/fp?e=2#event" rel="next"');
    expect((await getPage(app, `/_tripwire/issues/fp?event=${older.id}`)).text).to.include('/older');
  });

  it('answers 404 for an unknown or undecodable fingerprint', async () => {
    expect((await getPage(app, '/_tripwire/issues/nope')).status).to.equal(404);
    expect((await getPage(app, '/_tripwire/issues/%E0%A4%A')).status).to.equal(404);
  });

  it('renders odd stored data without failing', async () => {
    const odd = new DashboardMemoryStore().add(makeReport({ fingerprint: 'odd' }));
    Object.assign(odd.events[0], { error: { frames: [null, 'x', { context: { pre: 'no', line: 5 } }], cause: 'no' }, request: 'not an object', user: null, occurrences: 'many' });
    const page = await getPage(dashboardApp(odd), '/_tripwire/issues/odd');
    expect(page.status).to.equal(200);
    expect(page.text).to.include('&lt;unknown&gt;');
  });

  it('shows the grouping rule in one line, and its wording on expiry matches what the store does', async () => {
    const grouped = new DashboardMemoryStore().add(makeReport({ fingerprint: 'g', grouping: { rule: 'frames', detail: 'in-app frames of TypeError: lib/users.ts getUser' } }));
    expect((await getPage(dashboardApp(grouped), '/_tripwire/issues/g')).text).to.include('<div class="sub grouping" title="How this issue was grouped">Grouped by in-app frames of TypeError: lib/users.ts getUser</div>');
    const gone = await getPage(app, '/_tripwire/issues/expired');
    expect(gone.text).to.include('An issue with no new occurrence for the store&#39;s retention period is deleted with its events.');
    grouped.events.length = 0;
    expect((await getPage(dashboardApp(grouped), '/_tripwire/issues/g')).text).to.include("No stored event: events are kept for the store's retention period, and the issue goes with its last one.").and.not.include('data-event-position');
  });

  it('hides the activity and breakdowns a store cannot answer', async () => {
    const minimal = DashboardMemoryStore.minimal();
    (minimal as DashboardMemoryStore).add(latest);
    const { text } = await getPage(dashboardApp(minimal as DashboardMemoryStore), '/_tripwire/issues/fp');
    expect(text).to.include('<h1>TypeError: boom</h1>').and.not.include('class="panel section activity"').and.not.include('breakdowns');
    const full = await getPage(app, '/_tripwire/issues/fp');
    expect(full.text).to.include('class="panel section activity"').and.include('class="panel section breakdowns"');
  });
});
