// The dashboard in real Chromium against a real app: stack() storing into MongoStore on the
// live test server, alerts to a recording notifier and to Slack with the dashboard's link.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import mongoose, { type Connection } from 'mongoose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { LIVE_CREDENTIALS, startLiveDashboardApp, type LiveDashboardApp } from '../support/liveDashboardApp';
import { mongoUri } from '../support/mongoServer';

const DATABASE = 'dashboard_browser';

describe('dashboard in a browser', function () {
  this.timeout(60_000);
  let live: LiveDashboardApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let db: Connection;

  const issueDoc = (fingerprint: string) => db.collection('tripwire_issues').findOne({ _id: fingerprint as never });
  const fingerprintOf = async (message: string) => {
    const found = await db.collection('tripwire_issues').findOne({ message });
    if (!found) throw new Error(`no issue with the message ${message}`);
    return String(found._id);
  };
  const alertsFor = (fingerprint: string) => live.recording.received.filter((r) => r.fingerprint === fingerprint).length;

  before(async () => {
    live = await startLiveDashboardApp(DATABASE);
    db = await mongoose.createConnection(await mongoUri(DATABASE)).asPromise();
    await live.hit('/api/payments?attempt=1', { headers: { Authorization: 'Bearer live-secret-token-123', 'X-Request-Id': 'req-browser-1' } });
    await live.hit('/api/payments?attempt=2');
    await live.hit('/api/payments?attempt=3');
    await live.hit('/api/widgets/7');
    await live.hit('/api/inventory', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ sku: 'A-1', password: 'hunter2-secret' }) });
    await live.hit('/api/cache');
    await live.hit('/docs/missing-page', { headers: { Referer: `${live.origin}/docs`, 'User-Agent': 'Mozilla/5.0 (spec)' } });
    browser = await launchBrowser();
    context = await browser.newContext({ httpCredentials: LIVE_CREDENTIALS });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
  });

  after(async () => {
    await browser?.close();
    await db?.close();
    await live?.close();
  });

  it('answers 401 with a Basic challenge without credentials', async () => {
    const anonymous = await browser.newContext();
    const response = await anonymous.request.get(`${live.origin}/_tripwire/`);
    expect(response.status()).to.equal(401);
    expect(response.headers()['www-authenticate']).to.match(/^Basic realm=/);
    expect(await response.text()).to.not.include('Payment');
    await anonymous.close();
  });

  it('logs in and lists the open issues, newest first, with counts', async () => {
    await page.goto(`${live.origin}/_tripwire/`);
    const titles = await page.locator('table.issues a.title').allTextContents();
    expect(titles).to.have.length(4);
    expect(titles[titles.length - 1]).to.include('Payment gateway timed out');
    const row = page.locator('tr', { hasText: 'Payment gateway timed out' });
    expect(await row.locator('td.num').first().textContent()).to.equal('3');
    expect(await row.locator('svg.chart rect').count()).to.equal(24);
  });

  it('searches, and filters with a select that submits itself', async () => {
    await page.fill('input[name=q]', 'inventory');
    await page.click('form[role=search] button[type=submit]');
    expect(await page.locator('table.issues a.title').allTextContents()).to.deep.equal(['TypeError: Inventory sync failed']);
    await page.fill('input[name=q]', '');
    await Promise.all([page.waitForURL(/status=resolved/), page.selectOption('select[name=status]', 'resolved')]);
    expect(await page.locator('.empty-state').textContent()).to.include('No issues match');
  });

  it('opens an issue: frames with in-app ones marked, the scrubbed request, and pages through its events', async () => {
    await page.goto(`${live.origin}/_tripwire/`);
    await page.click('a.title:has-text("Payment gateway timed out")');
    expect(await page.locator('h1').textContent()).to.equal('Error: Payment gateway timed out');
    // Three events from one anonymous client: one visitor (a keyed hash of its IP).
    expect(await page.locator('.facts dd').first().textContent()).to.equal('3 ≈ 1 visitor');
    expect(await page.locator('.frame.app').count()).to.be.greaterThan(0);
    expect(await page.locator('.frame.app').first().textContent()).to.include('liveDashboardApp.ts');
    if (await page.locator('.context').count()) expect(await page.locator('.context li.hit').count()).to.be.greaterThan(0);
    // The newest event first; the oldest (with the secret header) two pages on.
    await page.click('a[rel=next]');
    await page.click('a[rel=next]');
    expect(await page.locator('[data-event-position]').textContent()).to.equal('Event 3 of 3');
    const request = await page.locator('section.request').textContent();
    expect(request).to.include('GET /api/payments?attempt=1').and.include('req-browser-1');
    expect(request).to.not.include('live-secret-token-123');
    expect(await page.locator('a[rel=next]').count()).to.equal(0);
  });

  it('shows the scrubbed body of a POST', async () => {
    await page.goto(`${live.origin}/_tripwire/?q=inventory`);
    await page.click('a.title');
    const request = await page.locator('section.request').textContent();
    expect(request).to.include('A-1').and.include('password').and.not.include('hunter2-secret');
  });

  it('resolves an issue, stored as resolved in MongoDB', async () => {
    const fingerprint = await fingerprintOf('Payment gateway timed out');
    await page.goto(`${live.origin}/_tripwire/issues/${fingerprint}`);
    await Promise.all([page.waitForLoadState('load'), page.click('button.btn-resolved')]);
    await page.waitForSelector('.badge.resolved');
    expect((await issueDoc(fingerprint))!.status).to.equal('resolved');
  });

  it('snoozes an issue for an hour', async () => {
    const fingerprint = await fingerprintOf('No widget 7');
    await page.goto(`${live.origin}/_tripwire/issues/${fingerprint}`);
    await page.selectOption('select[name=snooze]', '1h');
    await page.click('button.btn-snoozed');
    await page.waitForSelector('.badge.snoozed');
    const doc = await issueDoc(fingerprint);
    expect(doc!.status).to.equal('snoozed');
    expect(new Date(doc!.snoozedUntil).getTime()).to.be.greaterThan(Date.now() + 50 * 60_000);
  });

  it('ignores an issue from the list: a new occurrence is counted but sends no alert', async () => {
    const fingerprint = await fingerprintOf('Cache warmup failed');
    // While open, a new occurrence past the (1 ms) alert window is announced.
    const announcedBefore = alertsFor(fingerprint);
    await sleep(5);
    await live.hit('/api/cache');
    expect(alertsFor(fingerprint)).to.equal(announcedBefore + 1);
    await page.goto(`${live.origin}/_tripwire/`);
    await page.check(`tr[data-fingerprint="${fingerprint}"] input[data-row]`);
    await Promise.all([page.waitForURL(`${live.origin}/_tripwire/`), page.click('#bulk button[value=ignored]')]);
    expect((await issueDoc(fingerprint))!.status).to.equal('ignored');
    expect(await page.locator(`tr[data-fingerprint="${fingerprint}"]`).count()).to.equal(0);
    const alertsBefore = alertsFor(fingerprint);
    await sleep(5);
    await live.hit('/api/cache');
    const doc = await issueDoc(fingerprint);
    expect(doc!.count).to.equal(3);
    expect(doc!.status).to.equal('ignored');
    expect(alertsFor(fingerprint)).to.equal(alertsBefore);
  });

  it('lists the broken links and resolves one', async () => {
    await page.goto(`${live.origin}/_tripwire/broken-links`);
    const row = page.locator('table.broken-links tbody tr');
    expect(await row.count()).to.equal(1);
    expect(await row.textContent()).to.include('/docs/missing-page').and.include('internal').and.include('Mozilla/5.0 (spec)');
    await page.check('input[data-row]');
    await Promise.all([page.waitForURL(/broken-links/), page.click('#bulk button[value=resolved]')]);
    expect(await page.locator('.empty-state').textContent()).to.include('No broken links');
    expect((await db.collection('tripwire_broken_links').findOne({}))!.status).to.equal('resolved');
  });

  it("follows a Slack alert's link straight to the issue", async () => {
    const messages = live.slack.requests.map((r) => JSON.stringify(r.body));
    const link = messages.map((m) => /<(http[^|>]+)\|View issue>/.exec(m)?.[1]).find((l) => l?.includes('/_tripwire/issues/'));
    expect(link, messages.join('\n')).to.be.a('string');
    await page.goto(link!);
    expect(await page.locator('h1').textContent()).to.match(/^(Error|TypeError|RangeError): /);
    expect(await page.locator('.facts').count()).to.equal(1);
  });

  it('refuses a cross-site POST, even from a logged-in browser', async () => {
    const fingerprint = await fingerprintOf('Inventory sync failed');
    const target = `${live.origin}/_tripwire/status`;
    const evil = http.createServer((_req, res) => {
      res.setHeader('Content-Type', 'text/html');
      res.end(`<form id="f" method="post" action="${target}"><input name="issue" value="error:${fingerprint}"><input name="status" value="resolved"></form><script>document.getElementById('f').submit()</script>`);
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    try {
      // localhost and 127.0.0.1 are different sites to the browser.
      const response = page.waitForResponse((r) => r.url() === target);
      await page.goto(`http://localhost:${(evil.address() as AddressInfo).port}/`);
      expect((await response).status()).to.equal(403);
      expect((await issueDoc(fingerprint))!.status).to.equal('open');
    } finally {
      await new Promise((resolve) => evil.close(resolve));
    }
  });
});
