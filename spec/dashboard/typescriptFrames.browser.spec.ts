// Issue 19: a TypeScript app compiled by the real tsc (sourceMap: true), run as its own
// process without --enable-source-maps, reports through stack() into MongoStore on the live
// test server; the dashboard, mounted here over the same database, shows the .ts frames in
// real Chromium.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import Koa from 'koa';
import mongoose from 'mongoose';
import type { Browser, Page } from 'playwright-core';
import { silentLogger } from '../../lib/core/logger';
import { dashboard } from '../../lib/dashboard/dashboard';
import { MongoStore } from '../../lib/index';
import { launchBrowser } from '../support/browser';
import { LIVE_CREDENTIALS } from '../support/liveDashboardApp';
import { mongoUri } from '../support/mongoServer';
import { compileOrdersApp, ordersAppCopy, runOrdersApp, type OrdersOutcome } from '../support/ordersApp';

const DATABASE = 'dashboard_typescript_frames';
const THROW_LINE = 15; // of spec/support/fixtures/ordersApp/src/orders.ts
const THROW_TEXT = '    throw new Error(`order ${id}: item ${item} is out of stock`);';
const LINE_BEFORE = '  order.items.forEach((item: string) => {'; // a type annotation: TypeScript, not JS

describe('dashboard in a browser: frames of a TypeScript app compiled by tsc', function () {
  this.timeout(180_000);
  let dir: string;
  let outcome: OrdersOutcome;
  let store: MongoStore;
  let server: http.Server;
  let origin: string;
  let browser: Browser;
  let page: Page;

  before(async () => {
    const uri = await mongoUri(DATABASE);
    const drop = await mongoose.createConnection(uri).asPromise();
    await drop.dropDatabase();
    await drop.close();

    dir = ordersAppCopy('tripwire-ts-dashboard-');
    await compileOrdersApp(dir);
    outcome = await runOrdersApp(dir, 'dist/orders.js', uri);

    store = new MongoStore({ uri, logger: silentLogger });
    const app = new Koa();
    app.silent = true;
    app.use(dashboard({ store, auth: LIVE_CREDENTIALS }));
    server = http.createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    browser = await launchBrowser();
    const context = await browser.newContext({ httpCredentials: LIVE_CREDENTIALS });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
  });

  after(async () => {
    await browser?.close();
    if (server) await new Promise((resolve) => server.close(resolve));
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('compiles to JavaScript whose lines and text differ from the TypeScript (so only mapping shows the .ts)', () => {
    const compiled = readFileSync(path.join(dir, 'dist', 'orders.js'), 'utf8').split('\n');
    const jsLine = compiled.findIndex((text) => text.includes('throw new Error')) + 1;
    expect(jsLine).to.be.greaterThan(0);
    expect(jsLine).to.not.equal(THROW_LINE);
    expect(compiled).to.not.include(LINE_BEFORE);
    expect(outcome.status).to.equal(500);
    expect(outcome.reports).to.have.length(1);
  });

  it("shows the .ts file, the TypeScript line and the TypeScript source context on the issue's page", async () => {
    const response = await page.goto(`${origin}/_tripwire/issues/${outcome.reports[0].fingerprint}`);
    expect(response!.status()).to.equal(200);
    expect(await page.locator('.exception .message').first().textContent()).to.equal('order 7: item widget is out of stock');

    const top = page.locator('.frame.app').first();
    const where = await top.locator(':scope > span.mono:not(.fn)').textContent();
    expect(where).to.match(new RegExp(`^src/orders\\.ts:${THROW_LINE}(:\\d+)?$`));
    expect(await top.locator(':scope > .badge', { hasText: 'source map' }).count()).to.equal(1);

    const hit = top.locator('.context li.hit');
    expect(await hit.locator('.ln').textContent()).to.equal(String(THROW_LINE));
    expect(await hit.textContent()).to.equal(`${THROW_LINE}${THROW_TEXT}`);
    const shown = await top.locator('.context li').allTextContents();
    const hitIndex = shown.indexOf(`${THROW_LINE}${THROW_TEXT}`);
    expect(shown[hitIndex - 1]).to.equal(`${THROW_LINE - 1}${LINE_BEFORE}`);
  });

  it('shows no compiled .js path of the app among the in-app frames', async () => {
    const inApp = await page.locator('.frame.app > span.mono:not(.fn)').allTextContents();
    expect(inApp.length).to.be.greaterThan(0);
    for (const where of inApp) {
      expect(where, where).to.not.match(/(^|\/)dist\/|orders\.js/);
      expect(where, where).to.not.include(dir);
    }
    expect(inApp.some((where) => where.startsWith('src/orders.ts:'))).to.equal(true);
  });
});
