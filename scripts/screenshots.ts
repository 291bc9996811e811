// `npm run screenshots`: starts the demo app on a MongoDB (MONGODB_URI, or the specs' test
// server), fills it with sample reports (and a few real crashes through the demo's routes),
// and saves PNGs of the dashboard's three pages to docs/screenshots/ for the README.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createDemoApp } from '../demo/app';
import { MemoryNotes } from '../demo/notes';
import { silentLogger } from '../lib/core/logger';
import { MongoStore } from '../lib/index';
import type { Report, StackFrame } from '../lib/report/Report';
import { launchBrowser } from '../spec/support/browser';
import { mongoUri, stopMongoServer } from '../spec/support/mongoServer';

const OUT = path.join(__dirname, '..', 'docs', 'screenshots');
const PASSWORD = 'screenshot-password';
const HOUR = 3_600_000;

interface Sample { type: string; message: string; path: string; fn: string; file: string; line: number; count: number; spreadHours: number; release: string; env: string }

const SAMPLES: Sample[] = [
  { type: 'TypeError', message: "Cannot read properties of undefined (reading 'id')", path: '/api/orders/42', fn: 'loadOrder', file: '/srv/app/lib/orders.js', line: 42, count: 38, spreadHours: 20, release: '1.4.2', env: 'production' },
  { type: 'MongoServerSelectionError', message: 'connection timed out after 5000 ms', path: '/api/notes', fn: 'NoteRepository.list', file: '/srv/app/lib/notes.js', line: 17, count: 12, spreadHours: 6, release: '1.4.2', env: 'production' },
  { type: 'AxiosError', message: 'Request failed with status code 502', path: '/api/payments/charge', fn: 'chargeCard', file: '/srv/app/lib/payments.js', line: 88, count: 7, spreadHours: 200, release: '1.4.1', env: 'production' },
  { type: 'RangeError', message: 'Invalid time value', path: '/api/reports/daily', fn: 'formatDay', file: '/srv/app/lib/reports.js', line: 23, count: 3, spreadHours: 60, release: '1.4.2', env: 'staging' },
  { type: 'SyntaxError', message: 'Unexpected token < in JSON at position 0', path: '/api/webhooks/stripe', fn: 'parseWebhook', file: '/srv/app/lib/webhooks.js', line: 51, count: 2, spreadHours: 300, release: '1.3.9', env: 'production' },
  { type: 'ValidationError', message: 'Note validation failed: title: Path `title` is required.', path: '/api/notes', fn: 'createNote', file: '/srv/app/lib/notes.js', line: 33, count: 21, spreadHours: 100, release: '1.4.2', env: 'production' },
];

function frames(sample: Sample): Array<StackFrame & { context?: unknown }> {
  return [
    { file: sample.file, line: sample.line, column: 17, function: sample.fn, inApp: true, context: {
      pre: [`async function ${sample.fn.split('.').pop()}(ctx) {`, '  const { id } = ctx.params;', '  const record = await repository.find(id);'],
      line: '  return record.owner.id === ctx.state.user.id ? record : null;',
      post: ['}', '', `module.exports = { ${sample.fn.split('.').pop()} };`],
    } },
    { file: '/srv/app/routes/api.js', line: 12, column: 5, function: 'handler', inApp: true },
    { file: '/srv/app/node_modules/koa-compose/index.js', line: 42, column: 32, function: 'dispatch', inApp: false },
    { file: '/srv/app/node_modules/@koa/router/dist/index.js', line: 1102, column: 16, function: 'Router.routes', inApp: false },
  ];
}

function report(sample: Sample, at: number, i: number): Report {
  return {
    id: randomUUID(), kind: 'error', title: `Internal Server Error: ${sample.path}`, timestamp: new Date(at).toISOString(), timezone: 'UTC', status: 500,
    fingerprint: `sample-${sample.fn}`,
    error: { type: sample.type, message: sample.message, stack: null, frames: frames(sample), cause: [], extra: {} },
    brokenLink: null,
    request: {
      method: sample.path.includes('charge') || sample.path.includes('webhooks') ? 'POST' : 'GET', url: `${sample.path}?expand=items`, path: sample.path,
      query: { expand: 'items' }, headers: { host: 'shop.example.com', 'user-agent': 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15', authorization: '********************', cookie: '********************' },
      body: null, ip: `203.0.113.${(i % 200) + 1}`, userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15', referer: 'https://shop.example.com/orders', requestId: randomUUID(),
    },
    user: i % 3 === 0 ? { id: null, username: 'Anonymous' } : { id: String(100 + (i % 9)), username: `user${100 + (i % 9)}` },
    environment: sample.env, release: sample.release, host: `web-${(i % 3) + 1}`, pid: 4200 + (i % 3),
  };
}

function brokenLink(url: string, referer: string, internal: boolean, at: number, agent: string): Report {
  return {
    id: randomUUID(), kind: 'broken-link', title: `Broken ${internal ? 'INTERNAL ' : ''}link on shop.example.com`, timestamp: new Date(at).toISOString(), timezone: 'UTC', status: 404,
    fingerprint: `sample-link-${url}`, error: null, brokenLink: { url, referer, internal },
    request: { method: 'GET', url, path: url.split('?')[0], query: {}, headers: {}, body: null, ip: '198.51.100.23', userAgent: agent, referer, requestId: randomUUID() },
    user: { id: null, username: 'Anonymous' }, environment: 'production', release: '1.4.2', host: 'web-1', pid: 4200,
  };
}

async function main() {
  const uri = process.env.MONGODB_URI ?? (await mongoUri(`tripwire_screenshots_${Date.now()}`));
  const store = new MongoStore({ uri, logger: silentLogger });
  const now = Date.now();
  const reports: Report[] = [];
  SAMPLES.forEach((sample, n) => {
    const latest = now - (n * n * 17 + 2) * 60_000;
    for (let i = 0; i < sample.count; i++) reports.push(report(sample, latest - Math.round(((i * 7919) % 1000) / 1000 * sample.spreadHours * HOUR), i));
  });
  const agents = ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/126.0', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5) Safari/604.1', 'Googlebot/2.1 (+http://www.google.com/bot.html)'];
  const links: Array<[string, string, boolean, number]> = [
    ['/docs/getting-started', 'https://shop.example.com/', true, 14], ['/blog/2023/launch?utm_source=news', 'https://news.example.org/item?id=4242', false, 5],
    ['/images/logo@2x.png', 'https://shop.example.com/about', true, 9], ['/api/v1/products', 'https://partner.example.net/catalog', false, 3],
  ];
  for (const [url, referer, internal, count] of links) for (let i = 0; i < count; i++) reports.push(brokenLink(url, referer, internal, now - i * 5 * HOUR - 120_000, agents[i % agents.length]));
  await store.save(reports);
  await store.setStatus('error', 'sample-parseWebhook', 'resolved');
  await store.setStatus('error', 'sample-formatDay', 'snoozed', { until: new Date(now + 24 * HOUR) });

  const { app, tripwire } = createDemoApp({ notes: new MemoryNotes(), store, dashboardPassword: PASSWORD, tripwire: { errors: { logger: silentLogger, notifiers: [] }, brokenLinks: { logger: silentLogger, notifiers: [] } } });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  mkdirSync(OUT, { recursive: true });
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ httpCredentials: { username: 'admin', password: PASSWORD }, viewport: { width: 1280, height: 760 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const shot = async (url: string, name: string, fullPage = false) => {
      await page.goto(`${origin}${url}`);
      await page.screenshot({ path: path.join(OUT, name), fullPage });
      console.log(`saved docs/screenshots/${name}`);
    };
    await shot('/_tripwire/', 'issues.png');
    await shot('/_tripwire/issues/sample-loadOrder', 'issue.png', true);
    await shot('/_tripwire/broken-links', 'broken-links.png');
  } finally {
    await browser.close();
    await new Promise((resolve) => server.close(resolve));
    await tripwire.close();
    await store.close();
    await stopMongoServer();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
