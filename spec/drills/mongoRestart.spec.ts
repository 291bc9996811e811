// Fault drill: MongoDB goes away in the middle of a storm of distinct errors sent
// through a real Koa app with stack() and a MongoStore. When it answers again, delivery
// replays its outbox: every report is stored exactly once, every issue counted once,
// every group announced once, and no request was slowed into a failure meanwhile.
import Router from '@koa/router';
import { expect } from 'chai';
import Koa from 'koa';
import mongoose, { type Connection } from 'mongoose';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoStore, silentLogger, stack, type Stack } from '../../lib';
import { dropDatabase } from '../support/documents';
import { RecordingNotifier } from '../support/drillAlerts';
import { outboxSegments } from '../support/drillChild';
import { send, serve, storm, type Answer, type Served } from '../support/drillHttp';
import { closedPortUri, startMongoProxy, type MongoProxy } from '../support/drillProxy';
import { eventually } from '../support/eventually';
import { mongoServer, mongoUri, type MongoServer } from '../support/mongoServer';

const N = 300;

function appFor(tripwire: Stack): Koa {
  const app = new Koa();
  app.silent = true;
  app.use(tripwire);
  const router = new Router();
  // One fingerprint per request: N issues, each with count 1 when nothing is counted twice.
  router.get('/api/restart/:n', (ctx) => {
    throw Object.assign(new Error(`storm error ${ctx.params.n}`), { fingerprint: `restart-drill-${ctx.params.n}` });
  });
  app.use(router.routes());
  return app;
}

function reporting(store: MongoStore, outboxDir: string, notifier: RecordingNotifier): Stack {
  return stack({
    errors: {
      store,
      notifiers: [notifier],
      windowMs: 60 * 60_000,
      logger: silentLogger,
      delivery: { outboxDir, batchSize: 25, retry: { baseMs: 50, maxMs: 1000 } },
    },
    brokenLinks: false,
  });
}

/** Sends requests `from`..`to - 1` with their index as X-Request-Id; resolves with the answers. */
async function stormRange(served: Served, prefix: string, from: number, to: number): Promise<Array<Answer | undefined>> {
  const { results } = await storm(to - from, 10, (i) =>
    send(served.port, `/api/restart/${from + i}`, { headers: { 'X-Request-Id': `${prefix}-${from + i}` }, timeoutMs: 20_000 }));
  return results;
}

async function expectExactlyOnce(conn: Connection, prefix: string, alerts: RecordingNotifier['alerts']): Promise<void> {
  const events = await conn.collection('tripwire_events').find({}, { projection: { 'request.requestId': 1, fingerprint: 1 } }).toArray();
  const requestIds = events.map((e) => String(e.request?.requestId));
  const expected = Array.from({ length: N }, (_, i) => `${prefix}-${i}`);
  expect(events).to.have.length(N);
  expect([...requestIds].sort(), 'each request stored once').to.deep.equal([...expected].sort());

  const issues = await conn.collection('tripwire_issues').find({}, { projection: { count: 1 } }).toArray();
  expect(issues, 'one issue per fingerprint').to.have.length(N);
  expect(issues.reduce((sum, i) => sum + Number(i.count), 0), 'issue counts sum to N').to.equal(N);
  expect(issues.filter((i) => i.count !== 1).map((i) => i._id), 'issues counted twice').to.deep.equal([]);

  // Alerts decided during the outage are marked in the outbox so the replay does not repeat them.
  expect(alerts.filter((a) => a.alert?.reason !== 'new'), 'only first-occurrence alerts').to.deep.equal([]);
  const fingerprints = alerts.map((a) => a.fingerprint);
  expect(new Set(fingerprints).size, 'alerted groups').to.equal(N);
  expect(fingerprints, 'one alert per group, none repeated by the replay').to.have.length(N);
}

describe('drill: MongoDB goes away mid-storm', function () {
  this.timeout(180_000);
  let server: MongoServer;
  /** Set while this spec has the shared server stopped: after() must start it again. */
  let stoppedByUs = false;
  const dirs: string[] = [];

  before(async () => {
    server = await mongoServer();
  });

  after(async () => {
    // Other spec files share the server: never leave it stopped.
    if (stoppedByUs) {
      await server.start();
      stoppedByUs = false;
    }
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it(`stores exactly ${N} events and counts each issue once when MongoDB stops and restarts mid-storm (cut off by a loopback proxy when the server is not ours)`, async () => {
    const db = 'tripwire_drill_restart';
    const uri = await mongoUri(db);
    await dropDatabase(uri);
    const outboxDir = mkdtempSync(path.join(os.tmpdir(), 'tripwire-drill-restart-'));
    dirs.push(outboxDir);

    // We stop and restart the server when we own it; an external MONGODB_URI cannot be
    // stopped, so the outage is a proxy that drops every connection and refuses new ones.
    let proxy: MongoProxy | null = null;
    let storeUri = uri;
    let down: () => Promise<void>;
    let up: () => Promise<void>;
    if (server.canRestart) {
      down = async () => { stoppedByUs = true; await server.stop(); };
      up = async () => { await server.start(); stoppedByUs = false; };
    } else {
      proxy = await startMongoProxy(uri);
      expect(proxy, `an outage needs a single-host mongodb:// URI, got ${server.description}`).to.not.equal(null);
      storeUri = proxy!.uri;
      down = async () => proxy!.cut();
      up = async () => proxy!.restore();
    }

    const alerts = new RecordingNotifier();
    const store = new MongoStore({ uri: storeUri, serverSelectionTimeoutMS: 1000, logger: silentLogger });
    const tripwire = reporting(store, outboxDir, alerts);
    const served = await serve(appFor(tripwire));
    let conn: Connection | undefined;
    try {
      const answers = await stormRange(served, 'restart', 0, N / 3);
      // No flush: batches of the first third are still being saved when the server goes.
      await down();
      answers.push(...await stormRange(served, 'restart', N / 3, (2 * N) / 3));
      // The outage reached delivery: reports are parked on disk.
      await eventually(() => outboxSegments(outboxDir).length > 0, { timeoutMs: 60_000, everyMs: 100 });
      const restarting = up();
      answers.push(...await stormRange(served, 'restart', (2 * N) / 3, N));
      await restarting;

      // Reporting never touches the response: every request got its 500 envelope, outage or not.
      expect(answers).to.have.length(N);
      expect(answers.filter((a) => a?.status !== 500), 'requests not answered with their 500').to.deep.equal([]);

      conn = await mongoose.createConnection(uri).asPromise();
      const events = conn.collection('tripwire_events');
      await eventually(async () => {
        await tripwire.flush();
        return (await events.countDocuments()) >= N && outboxSegments(outboxDir).length === 0;
      }, { timeoutMs: 90_000, everyMs: 250 });
      await tripwire.flush();
      await expectExactlyOnce(conn, 'restart', alerts.alerts);
    } finally {
      await served.close();
      await tripwire.close(5000);
      await store.close();
      await conn?.close();
      await proxy?.close();
      if (stoppedByUs) {
        await server.start();
        stoppedByUs = false;
      }
    }
  });

  it(`stores exactly ${N} events once a store unreachable from the start is replaced by a reachable one sharing the outbox`, async () => {
    const db = 'tripwire_drill_restart_swap';
    const uri = await mongoUri(db);
    await dropDatabase(uri);
    const outboxDir = mkdtempSync(path.join(os.tmpdir(), 'tripwire-drill-swap-'));
    dirs.push(outboxDir);
    const alerts = new RecordingNotifier();

    // First instance: its MongoDB never answers (a closed port). Everything is parked.
    const lost = new MongoStore({ uri: await closedPortUri(db), serverSelectionTimeoutMS: 300, logger: silentLogger });
    const first = reporting(lost, outboxDir, alerts);
    const firstServed = await serve(appFor(first));
    try {
      const answers = await stormRange(firstServed, 'swap', 0, N);
      expect(answers.filter((a) => a?.status !== 500)).to.deep.equal([]);
    } finally {
      await firstServed.close();
      await first.close(5000);
      await lost.close();
    }
    expect(outboxSegments(outboxDir).length, 'reports parked on disk').to.be.above(0);

    // Second instance, same outbox, real MongoDB: it replays at construction.
    const store = new MongoStore({ uri, logger: silentLogger });
    const second = reporting(store, outboxDir, alerts);
    const conn = await mongoose.createConnection(uri).asPromise();
    try {
      await eventually(async () => (await conn.collection('tripwire_events').countDocuments()) >= N && outboxSegments(outboxDir).length === 0, { timeoutMs: 90_000, everyMs: 250 });
      await second.flush();
      await expectExactlyOnce(conn, 'swap', alerts.alerts);
    } finally {
      await second.close(5000);
      await store.close();
      await conn.close();
    }
  });
});
