// What a triager sees, in real Chromium, over reports built by real requests to a real app
// (two instances, two releases, an axios call to an upstream answering 502): the upstream
// panel, folded library frames, "Event n of N", users and visitors, breakdowns, the release
// and environment lists, the activity log with the acting user, bulk feedback and undo,
// local times, the favicon, and no horizontal scroll at 390 px on any page.
import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { CREDENTIALS, SHA_RELEASE, startTriageApp, type TriageApp } from '../support/dashboardApp';

describe('dashboard triage in a browser', function () {
  this.timeout(60_000);
  let live: TriageApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const requested: string[] = [];
  const fingerprintOf = (text: string) => [...live.store.issues.values()].find((i) => `${i.message} ${i.url}`.includes(text))!.fingerprint;
  const open = async (path: string) => { await page.goto(`${live.origin}/_tripwire${path}`); };

  before(async () => {
    live = await startTriageApp({ release: '1.4.2' });
    await live.hit('/api/orders/1234', { headers: { 'X-User': '7' } });
    await live.hit('/api/orders/1234', { headers: { 'X-User': '8' } });
    await live.hit('/api/orders/1234', { headers: { 'X-Forwarded-For': '::ffff:203.0.113.9', 'X-Request-Id': 'req-orders-3' } });
    await live.hit('/api/orders/1234', { instance: 1, headers: { 'X-Forwarded-For': '198.51.100.4', 'User-Agent': 'Mozilla/5.0 Firefox/126.0' } });
    await live.hit('/api/charge', { method: 'POST' });
    await live.hit('/api/report');
    for (let i = 0; i < 3; i++) await live.hit('/docs/missing', { headers: { Referer: `${live.origin}/docs` } });
    await live.hit('/old-page', { headers: { Referer: `${live.origin}/` } });
    browser = await launchBrowser();
    context = await browser.newContext({ httpCredentials: CREDENTIALS, timezoneId: 'Asia/Tokyo', viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  });

  after(async () => {
    await browser?.close();
    await live?.close();
  });

  it('shows the upstream first on the issue page, and its host in the list', async () => {
    await open('/');
    const host = new URL((live.store.events.find((e) => (e.error as { http?: unknown })?.http)!.error as { http: { url: string } }).http.url).host;
    const row = page.locator('tr', { hasText: '502' });
    expect(await row.locator('.upstream').textContent()).to.equal(`POST ${host} → 502`);
    await Promise.all([page.waitForURL(/\/issues\//), row.locator('a.title').click()]);
    const panels = await page.locator('section.panel h2').allTextContents();
    expect(panels.indexOf('Upstream request')).to.be.within(0, panels.indexOf('Exception'));
    const upstream = await page.locator('section.upstream').textContent();
    expect(upstream).to.include('POST').and.include(`${host}/v1/charges`).and.include('502 Bad Gateway').and.include('x-upstream-id');
    expect(upstream).to.not.include('sk_live_upstreamsecret123').and.not.include('upstream-secret-token');
  });

  it('folds each run of library frames into one line that opens, with the raw stack a click away', async () => {
    await open(`/issues/${fingerprintOf('502')}`);
    const run = page.locator('section.exception .lib-run').first();
    const summary = await run.locator('summary').textContent();
    const n = Number(/^(\d+) library frames$/.exec(summary!)?.[1]);
    expect(n).to.be.greaterThan(1);
    expect(await run.locator('.frame.lib').first().isVisible()).to.equal(false);
    await run.locator('summary').click();
    expect(await run.locator('.frame.lib').count()).to.equal(n);
    expect(await run.locator('.frame.lib').first().isVisible()).to.equal(true);
    expect(await page.locator('section.exception > details.raw-stack pre').first().isVisible()).to.equal(false);
    await page.locator('section.exception > details.raw-stack summary').first().click();
    expect(await page.locator('section.exception > details.raw-stack pre').first().textContent()).to.include('    at ');
  });

  it('pages through "Event n of N" with newest and oldest, the client IP as sent, times in the viewer\'s zone', async () => {
    await open(`/issues/${fingerprintOf('has no owner')}`);
    expect(await page.locator('[data-event-position]').textContent()).to.equal('Event 1 of 4');
    await Promise.all([page.waitForURL(/e=4#event$/), page.click('a[rel=last]')]);
    expect(await page.locator('[data-event-position]').textContent()).to.equal('Event 4 of 4');
    await Promise.all([page.waitForURL(/e=3#event$/), page.click('a[rel=prev]')]);
    await Promise.all([page.waitForURL(/e=2#event$/), page.click('a[rel=prev]')]);
    expect(await page.locator('[data-event-position]').textContent()).to.equal('Event 2 of 4');
    expect(await page.locator('section.request tr', { hasText: 'IP' }).locator('td').nth(1).textContent()).to.equal('203.0.113.9');
    await Promise.all([page.waitForURL(/e=1#event$/), page.click('a[rel=first]')]);
    expect(await page.locator('[data-event-position]').textContent()).to.equal('Event 1 of 4');
    const time = page.locator('h2#event time[data-local]');
    expect(await time.textContent()).to.match(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d Asia\/Tokyo$/);
    const title = await time.getAttribute('title');
    expect(title).to.match(/ UTC$/);
    // Tokyo is UTC+9: the shown hour is the UTC hour plus 9.
    const utcHour = Number(title!.slice(11, 13));
    expect(Number((await time.textContent())!.slice(11, 13))).to.equal((utcHour + 9) % 24);
  });

  it('counts users by id and anonymous visitors apart, and breaks the last 14 days down', async () => {
    await open('/');
    const row = page.locator('tr', { hasText: 'has no owner' });
    expect(await row.locator('td[data-label=Users]').textContent()).to.equal('2≈ 2 visitors');
    await open(`/issues/${fingerprintOf('has no owner')}`);
    expect(await page.locator('.facts .users dd').textContent()).to.equal('2');
    expect(await page.locator('.facts .events dd').textContent()).to.equal('4 ≈ 2 visitors');
    const rows = (dimension: string) => page.locator(`.breakdown[data-dimension=${dimension}] tr`).evaluateAll((trs) => trs.map((tr) => tr.textContent));
    expect(await rows('release')).to.deep.equal(['493cd4f375%', '1.4.2125%']);
    expect(await page.locator('.breakdown[data-dimension=release] span.mono').getAttribute('title')).to.equal(SHA_RELEASE);
    expect(await rows('environment')).to.deep.equal(['production375%', 'staging125%']);
    // The route pattern when the report has it (@koa/router's), else the path.
    expect(await rows('route')).to.satisfy((r: string[]) => r.length === 1 && /^\/api\/orders\/(:id|1234)4100%$/.test(r[0]));
    expect(await rows('browser')).to.include('Firefox125%');
    expect(await page.locator('.breakdowns h2').textContent()).to.equal('Last 14 days: 4 occurrences');
  });

  it('filters by the releases and environments actually seen, short shas with the full one in the tooltip', async () => {
    await open('/');
    const releases = await page.locator('select[name=release] option').evaluateAll((os) => os.map((o) => [o.textContent, o.getAttribute('value'), o.getAttribute('title')]));
    expect(releases).to.deep.include(['493cd4f', SHA_RELEASE, SHA_RELEASE]).and.deep.include(['1.4.2', '1.4.2', '1.4.2']);
    expect(releases[0][0]).to.equal('Any');
    await Promise.all([page.waitForURL(/environment=staging/), page.selectOption('select[name=environment]', 'staging')]);
    expect(await page.locator('table.issues a.title').allTextContents()).to.deep.equal(['TypeError: Order x has no owner']);
    await open('/');
    await Promise.all([page.waitForURL(new RegExp(`release=${SHA_RELEASE}`)), page.selectOption('select[name=release]', SHA_RELEASE)]);
    expect(await page.locator('table.issues a.title').count()).to.equal(3);
  });

  it('logs who resolved an issue, the release it was resolved in, and an occurrence from an older release', async () => {
    const fingerprint = fingerprintOf('has no owner');
    await open(`/issues/${fingerprint}`);
    await Promise.all([page.waitForURL(/done=/), page.click('button.btn-resolved')]);
    expect(await page.locator('[data-done]').textContent()).to.equal('1 issue resolved');
    expect(await page.locator('.facts .resolved-in dd').textContent()).to.equal('1.4.2');
    const first = page.locator('.activity-entry').first();
    expect(await first.getAttribute('data-action')).to.equal('resolved');
    expect(await first.textContent()).to.include('Resolved').and.include('1.4.2').and.include('by ops').and.include('(issue page)');
    await live.hit('/api/orders/1234');
    await open(`/issues/${fingerprint}`);
    expect(await page.locator('.badge.resolved').count()).to.equal(1);
    expect(await page.locator('.notice.old-release').textContent()).to.match(/^Seen again in 493cd4f \(older release\)/);
    expect(await page.locator('.activity-entry').first().textContent()).to.include('Seen in an older release');
  });

  it('says what a bulk action did and undoes it', async () => {
    await open('/');
    const before = await page.locator('table.issues tbody tr').count();
    await page.check(`tr[data-fingerprint="${fingerprintOf('502')}"] input[data-row]`);
    await page.check(`tr[data-fingerprint="${fingerprintOf('Report failed')}"] input[data-row]`);
    await Promise.all([page.waitForURL(/done=/), page.click('#bulk button[value=resolved]')]);
    expect(await page.locator('[data-done]').textContent()).to.equal('2 issues resolved');
    expect(await page.locator('table.issues tbody tr').count()).to.equal(before - 2);
    await Promise.all([page.waitForURL(/done=/), page.click('button[data-undo]')]);
    expect(await page.locator('[data-done]').textContent()).to.equal('2 issues restored');
    expect(await page.locator('table.issues tbody tr').count()).to.equal(before);
    expect(live.store.statusCalls.slice(-2).map((c) => c.change)).to.deep.equal([
      { actor: 'ops', via: 'undo', release: '1.4.2' }, { actor: 'ops', via: 'undo', release: '1.4.2' },
    ]);
  });

  it('titles broken links by their URL in the all-kinds list and charts their hits; a 4xx lookup says what is stored', async () => {
    await open('/?kind=all&status=all');
    const missing = page.locator(`tr[data-fingerprint="${fingerprintOf('/docs/missing')}"]`);
    expect(await missing.locator('a.title').textContent()).to.equal('/docs/missing');
    expect(await page.locator(`tr[data-fingerprint="${fingerprintOf('/old-page')}"] a.title`).textContent()).to.equal('/old-page');
    expect(await missing.locator('svg.chart').getAttribute('aria-label')).to.equal('3 occurrences in the last 24 hours');
    await open('/events?requestId=a-4xx-request');
    expect(await page.locator('.empty-state').textContent()).to.include('Only server errors (5xx) and broken links are stored');
  });

  it('serves its own favicon: no page asks the app for /favicon.ico', async () => {
    expect(requested.filter((p) => p === '/favicon.ico')).to.deep.equal([]);
    expect(requested).to.include('/_tripwire/assets/favicon.svg');
    const icon = await page.request.get(`${live.origin}${await page.locator('link[rel=icon]').getAttribute('href')}`);
    expect(icon.status()).to.equal(200);
    expect(icon.headers()['content-type']).to.equal('image/svg+xml');
  });

  it('shows empty stat cells without grey blocks', async () => {
    await open(`/issues/${fingerprintOf('Report failed')}`);
    expect(await page.locator('dl.facts').evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(el).backgroundColor)).to.equal('rgba(0, 0, 0, 0)');
  });

  it('never scrolls sideways at 390 px, on any page', async () => {
    // Not `isMobile`: mobile emulation zooms out to fit a page that is too wide, and innerWidth grows with it.
    const phone = await browser.newContext({ httpCredentials: CREDENTIALS, viewport: { width: 390, height: 844 } });
    const small = await phone.newPage();
    const pages = ['/', '/?kind=all&status=all', '/broken-links?status=all', '/events', '/events?requestId=req-orders-3', '/events?requestId=nothing', '/no-such-page', '/issues/no-such-issue',
      ...[...live.store.issues.values()].map((i) => `/issues/${encodeURIComponent(i.fingerprint)}`)];
    const wide: string[] = [];
    for (const path of pages) {
      await small.goto(`${live.origin}/_tripwire${path}`);
      const { scrollWidth, innerWidth } = await small.evaluate<{ scrollWidth: number; innerWidth: number }>('({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })');
      expect(innerWidth).to.equal(390);
      if (scrollWidth > innerWidth) wide.push(`${path}: ${scrollWidth} > ${innerWidth}`);
    }
    // The issue page with every panel open (library frames, raw stack) too.
    await small.goto(`${live.origin}/_tripwire/issues/${fingerprintOf('502')}`);
    await small.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })");
    const opened = await small.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    if (opened > 0) wide.push(`issue page, details open: ${opened} px too wide`);
    expect(pages.length).to.be.greaterThan(10);
    expect(wide).to.deep.equal([]);
    await phone.close();
  });
});
