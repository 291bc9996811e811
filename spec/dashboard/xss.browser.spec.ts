// Hostile text in every place a report carries it (message, path, user agent, body,
// referer, request id) must show as text on every dashboard page and never run.
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { LIVE_CREDENTIALS, startLiveDashboardApp, type LiveDashboardApp } from '../support/liveDashboardApp';

const SCRIPT = '<script>window.__xss = "script"</script>';
const IMG = '<img src=x onerror="window.__xss = \'img\'; alert(1)">';
const SVG = '<svg onload="window.__xss = \'svg\'">';
const JS_URL = 'javascript:window.__xss="href";alert(1)';

describe('dashboard against planted script', function () {
  this.timeout(60_000);
  let live: LiveDashboardApp;
  let browser: Browser;
  let page: Page;
  const dialogs: string[] = [];
  const cspViolations: string[] = [];

  before(async () => {
    live = await startLiveDashboardApp('dashboard_xss');
    const hostile = { 'User-Agent': `${IMG} ${SCRIPT}`, Referer: JS_URL, 'X-Request-Id': `${SVG}-rid` };
    await live.hit(`/api/payments?message=${encodeURIComponent(`${SCRIPT}${IMG}`)}&q=${encodeURIComponent(SVG)}`, { headers: hostile });
    await live.hit(`/api/widgets/${encodeURIComponent(`${IMG}"'><b>`)}`, { headers: hostile });
    await live.hit('/api/inventory', { method: 'POST', headers: { ...hostile, 'Content-Type': 'application/json' }, body: JSON.stringify({ message: `${SVG}${SCRIPT}`, note: IMG, link: JS_URL }) });
    // Broken links: a hostile path reached from a hostile referer, internal and external.
    await live.hit(`/${encodeURIComponent(IMG)}`, { headers: { Referer: `${live.origin}/${SCRIPT}`, 'User-Agent': IMG } });
    await live.hit('/missing', { headers: { Referer: JS_URL, 'User-Agent': SCRIPT } });
    await live.hit('/missing-too', { headers: { Referer: `https://example.com/"><img src=x onerror=alert(1)>`, 'User-Agent': SVG } });

    browser = await launchBrowser();
    const context = await browser.newContext({ httpCredentials: LIVE_CREDENTIALS });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('dialog', (dialog) => { dialogs.push(dialog.message()); void dialog.dismiss(); });
    page.on('console', (message) => { if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text()); });
  });

  after(async () => {
    await browser?.close();
    await live?.close();
  });

  async function expectInert(url: string): Promise<void> {
    const response = await page.goto(url);
    expect(response!.status(), url).to.equal(200);
    await page.waitForLoadState('load');
    expect(await page.evaluate(() => (globalThis as { __xss?: unknown }).__xss), url).to.equal(undefined);
    expect(await page.locator('a[href^="javascript:" i], [onerror], [onload], main script').count(), url).to.equal(0);
  }

  it('shows the planted text as text on the lists, issue pages and the request-id search, and runs none of it', async () => {
    const lists = [`${live.origin}/_tripwire/?status=all&kind=all`, `${live.origin}/_tripwire/broken-links?status=all`];
    for (const list of lists) await expectInert(list);
    await page.goto(lists[0]);
    const issueLinks = await page.locator('a.title').evaluateAll((links) => links.map((a) => (a as unknown as { href: string }).href));
    expect(issueLinks.length).to.equal(6);
    for (const link of issueLinks) await expectInert(link);
    for (let e = 1; e <= 2; e++) await expectInert(`${issueLinks[0]}?e=${e}`);
    // requestContext replaces a hostile X-Request-Id with its own, so the search only echoes it.
    await expectInert(`${live.origin}/_tripwire/events?requestId=${encodeURIComponent(`${SVG}-rid`)}`);
    expect(await page.inputValue('input[name=requestId]')).to.equal(`${SVG}-rid`);
    await expectInert(`${live.origin}/_tripwire/?q=${encodeURIComponent(SCRIPT)}&environment=${encodeURIComponent(IMG)}`);
    expect(await page.inputValue('input[name=q]')).to.equal(SCRIPT);
    expect(dialogs).to.deep.equal([]);
    expect(cspViolations).to.deep.equal([]);
  });

  it('renders the message and the user agent literally', async () => {
    await page.goto(`${live.origin}/_tripwire/?q=${encodeURIComponent(`${SCRIPT}${IMG}`)}&kind=error`);
    expect(await page.locator('a.title').first().textContent()).to.equal(`Error: ${SCRIPT}${IMG}`);
    await page.click('a.title');
    expect(await page.locator('section.request').textContent()).to.include(`${IMG} ${SCRIPT}`);
    expect(await page.locator('section.request a').count()).to.equal(0);
  });
});
