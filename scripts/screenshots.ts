// `npm run screenshots`: starts the demo app on a MongoDB (MONGODB_URI, or the specs' test
// server) next to an upstream that answers 503, sends it real requests (crashes, an upstream
// failure, a login with a password, broken links from a page of its own and from another
// site), triages one issue through the dashboard's own button, and saves PNGs of the
// dashboard at 1280 px (desktop) and 390 px (phone) to docs/screenshots/. Every report in
// the pictures was built by the demo from a request: no sample data.
import { mkdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createDemoApp } from '../demo/app';
import { MemoryNotes } from '../demo/notes';
import { silentLogger } from '../lib/core/logger';
import { MongoStore } from '../lib/index';
import { launchBrowser } from '../spec/support/browser';
import { mongoUri, stopMongoServer } from '../spec/support/mongoServer';

const OUT = path.join(__dirname, '..', 'docs', 'screenshots');
const PASSWORD = 'screenshot-password';
const BROWSERS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0',
];

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function main() {
  const uri = process.env.MONGODB_URI ?? (await mongoUri(`tripwire_screenshots_${Date.now()}`));
  const store = new MongoStore({ uri, logger: silentLogger });
  const upstream = http.createServer((_req, res) => {
    res.writeHead(503, { 'Content-Type': 'application/json', 'Retry-After': '30', 'X-Request-Id': 'rates-5f2c' });
    res.end('{"error":"maintenance"}');
  });
  const ratesUrl = `${await listen(upstream)}/v1/rates?base=EUR&api_key=live-rates-key-7d1f`;
  const quiet = { logger: silentLogger, notifiers: [] };
  const { app, tripwire } = createDemoApp({ notes: new MemoryNotes(), store, dashboardPassword: PASSWORD, ratesUrl, tripwire: { errors: quiet, brokenLinks: quiet } });
  const server = http.createServer(app.callback());
  const origin = await listen(server);

  const send = (url: string, init: RequestInit = {}, agent = 0) =>
    fetch(`${origin}${url}`, { ...init, headers: { 'User-Agent': BROWSERS[agent % BROWSERS.length], ...init.headers } }).then((r) => r.arrayBuffer());
  for (let i = 0; i < 6; i++) await send('/api/rates', {}, i);
  for (let i = 0; i < 3; i++) await send('/api/crash', { headers: { Authorization: 'Bearer demo-client-token' } }, i);
  for (const username of ['ada', 'grace']) {
    await send('/api/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password: 'correct horse battery' }) });
  }
  for (let i = 0; i < 4; i++) await send('/docs/getting-started', { headers: { Referer: `${origin}/` } }, i);
  await send('/blog/2023/launch?utm_source=news', { headers: { Referer: 'https://news.example.org/item?id=4242' } });
  await tripwire.flush();

  mkdirSync(OUT, { recursive: true });
  const browser = await launchBrowser();
  try {
    const shoot = async (width: number, suffix: string) => {
      const context = await browser.newContext({ httpCredentials: { username: 'admin', password: PASSWORD }, viewport: { width, height: width > 500 ? 760 : 844 }, deviceScaleFactor: width > 500 ? 1 : 2, timezoneId: 'UTC' });
      const page = await context.newPage();
      const shot = async (url: string, name: string, fullPage = false) => {
        await page.goto(`${origin}${url}`);
        await page.screenshot({ path: path.join(OUT, `${name}${suffix}.png`), fullPage });
        console.log(`saved docs/screenshots/${name}${suffix}.png`);
      };
      await shot('/_tripwire/', 'issues');
      await page.click('a.title:has-text("Request failed")');
      await shot(new URL(page.url()).pathname, 'issue', true);
      await shot('/_tripwire/broken-links', 'broken-links');
      await context.close();
    };
    // One issue triaged through the dashboard itself, so the pictures show its activity log.
    const triage = await browser.newContext({ httpCredentials: { username: 'admin', password: PASSWORD } });
    const page = await triage.newPage();
    await page.goto(`${origin}/_tripwire/`);
    await page.click('a.title:has-text("Login backend unavailable")');
    await Promise.all([page.waitForURL(/done=/), page.click('button.btn-resolved')]);
    await triage.close();
    await shoot(1280, '');
    await shoot(390, '-phone');
  } finally {
    await browser.close();
    await new Promise((resolve) => server.close(resolve));
    await new Promise((resolve) => upstream.close(resolve));
    await tripwire.close();
    await store.close();
    await stopMongoServer();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
