// A real app for the browser specs: stack() reporting into MongoStore on the live test
// server, alerts to a recording notifier and to Slack (a local server answering as Slack
// does) with the dashboard's linkTemplate, and the dashboard mounted from the stack.
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Router from '@koa/router';
import Koa from 'koa';
import mongoose from 'mongoose';
import { silentLogger } from '../../lib/core/logger';
import { MongoStore } from '../../lib/index';
import { SlackNotifier } from '../../lib/notifiers/slack/SlackNotifier';
import { stack, type Stack } from '../../lib/stack';
import { mongoUri } from './mongoServer';
import { RecordingNotifier } from './recordingNotifier';
import { startFakeSlack, type FakeSlack } from './fakeSlack';

export const LIVE_CREDENTIALS = { username: 'ops', password: 'browser-spec-password' };

export interface LiveDashboardApp {
  origin: string;
  store: MongoStore;
  tripwire: Stack;
  recording: RecordingNotifier;
  slack: FakeSlack;
  /** Sends a request to the app and waits until its report is stored and announced. */
  hit(path: string, init?: { method?: string; headers?: Record<string, string>; body?: string }): Promise<number>;
  close(): Promise<void>;
}

export async function startLiveDashboardApp(database: string): Promise<LiveDashboardApp> {
  const uri = await mongoUri(database);
  const drop = await mongoose.createConnection(uri).asPromise();
  await drop.dropDatabase();
  await drop.close();

  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const store = new MongoStore({ uri, logger: silentLogger });
  const recording = new RecordingNotifier();
  const slack = await startFakeSlack();
  const slackNotifier = new SlackNotifier({ webhookUrl: slack.url, linkTemplate: `${origin}/_tripwire/issues/{fingerprint}`, logger: silentLogger });
  // A 1 ms alert window: every occurrence of an open issue is announced, so a spec can see
  // that an ignored one is not.
  const reporting = { store, notifiers: [recording, slackNotifier], logger: silentLogger, windowMs: 1 };
  // Outboxes out of the checkout (the default is <cwd>/.tripwire-outbox).
  const outbox = () => ({ outboxDir: mkdtempSync(path.join(os.tmpdir(), 'tripwire-live-dashboard-')) });
  const tripwire = stack({ errors: { ...reporting, delivery: outbox() }, brokenLinks: { ...reporting, notifiers: [recording], delivery: outbox() } });

  const app = new Koa();
  app.silent = true;
  app.use(tripwire.dashboard({ auth: LIVE_CREDENTIALS }));
  app.use(tripwire);
  const router = new Router();
  // Each route throws from its own line (so each is an issue of its own) the message the
  // request asks for, so a spec can plant any text.
  const message = (value: unknown, fallback: string) => (typeof value === 'string' ? value : fallback);
  router.get('/api/payments', (ctx) => { throw new Error(message(ctx.query.message, 'Payment gateway timed out')); });
  router.get('/api/cache', (ctx) => { throw new Error(message(ctx.query.message, 'Cache warmup failed')); });
  router.get('/api/widgets/:id', (ctx) => { throw new RangeError(`No widget ${ctx.params.id}`); });
  router.post('/api/inventory', (ctx) => { throw new TypeError(message((ctx.request.body as { message?: unknown })?.message, 'Inventory sync failed')); });
  app.use(router.routes()).use(router.allowedMethods());
  server.on('request', app.callback());

  return {
    origin, store, tripwire, recording, slack,
    async hit(path, init = {}) {
      // node:http rather than fetch: a spec may send any header (a hostile Referer or User-Agent).
      const status = await new Promise<number>((resolve, reject) => {
        const request = http.request(`${origin}${path}`, { method: init.method ?? 'GET', headers: init.headers }, (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        });
        request.on('error', reject);
        request.end(init.body);
      });
      await tripwire.flush();
      return status;
    },
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await tripwire.close(5000);
      await store.close();
      await slack.close();
    },
  };
}
