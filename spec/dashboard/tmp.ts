import { launchBrowser } from '../support/browser';
import { LIVE_CREDENTIALS, startLiveDashboardApp } from '../support/liveDashboardApp';
import { stopMongoServer } from '../support/mongoServer';
(async () => {
  const live = await startLiveDashboardApp('dashboard_tmp');
  await live.hit('/api/cache');
  const browser = await launchBrowser();
  const context = await browser.newContext({ httpCredentials: LIVE_CREDENTIALS });
  const page = await context.newPage();
  page.on('response', (r) => console.log('resp', r.request().method(), r.url(), r.status()));
  page.on('console', (m) => console.log('console', m.text()));
  await page.goto(`${live.origin}/_tripwire/`);
  await page.click('a.title');
  const r = page.waitForResponse((r) => r.request().method() === 'POST');
  await page.click('button.btn-resolved');
  const resp = await r;
  console.log(resp.status(), await resp.text().catch((e) => String(e)), await resp.request().allHeaders());
  await browser.close(); await live.close(); await stopMongoServer();
})();
