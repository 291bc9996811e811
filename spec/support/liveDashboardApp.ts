// A real app for the browser specs: stack() reporting into MongoStore on the live test
// server, alerts to a recording notifier and to Slack (a local server answering as Slack
// does) with the dashboard's linkTemplate, and the dashboard mounted from the stack.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Router from '@koa/router';
import Koa from 'koa';
import mongoose from 'mongoose';
import { silentLogger } from '../../lib/core/logger';
import { MongoStore } from '../../lib/index';
import { SlackNotifier } from '../../lib/notifiers/SlackNotifier';
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
  const reporting = { store, notifiers: [recording, slackNotifier], logger: silentLogger };
  const tripwire = stack({ errors: reporting, brokenLinks: { ...reporting, notifiers: [recording] } });

  const app = new Koa();
  app.silent = true;
  app.use(tripwire.dashboard({ auth: LIVE_CREDENTIALS }));
  app.use(tripwire);
  const router = new Router();
  // Each route throws what the request asks for, so a spec can plant any message.
  router.get('/api/fail', (ctx) => { throw new Error(String(ctx.query.message ?? 'boom')); });
  router.post('/api/fail', (ctx) => { throw new TypeError(String((ctx.request.body as { message?: unknown })?.message ?? 'posted boom')); });
  router.get('/api/fail/:anything', (ctx) => { throw new RangeError(`bad ${ctx.params.anything}`); });
  app.use(router.routes()).use(router.allowedMethods());
  server.on('request', app.callback());

  return {
    origin, store, tripwire, recording, slack,
    async hit(path, init = {}) {
      const response = await fetch(`${origin}${path}`, { method: init.method ?? 'GET', headers: init.headers, body: init.body });
      await response.arrayBuffer();
      await tripwire.flush();
      return response.status;
    },
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await tripwire.close(5000);
      await store.close();
      await slack.close();
    },
  };
}
