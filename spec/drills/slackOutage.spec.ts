// Fault drill: storms of one identical error through a real Koa app with stack(), a
// MongoStore and a SlackNotifier pointed at a local Slack. Slack goes down and comes
// back; a storm must still count every occurrence (the first 100 a minute as events of
// their own, the rest folded into one event a second), send Slack only a handful of messages,
// keep the notifier's queue bounded, and account for every occurrence in its alerts
// and digests. Two app instances sharing one database announce a new issue once.
import Router from '@koa/router';
import { expect } from 'chai';
import Koa from 'koa';
import mongoose, { type Connection } from 'mongoose';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoStore, silentLogger, SlackNotifier, stack, type Stack } from '../../lib';
import { dropDatabase } from '../support/documents';
import { accountedFor, occurrencesInSlackText, RecordingNotifier, slackText } from '../support/drillAlerts';
import { send, serve, storm, type Served } from '../support/drillHttp';
import { eventually } from '../support/eventually';
import { startFakeSlack, type FakeSlack, type ReceivedRequest } from '../support/fakeSlack';
import { mongoUri } from '../support/mongoServer';

const SLACK_OPTIONS = { minIntervalMs: 20, retryBaseMs: 20, retryMaxMs: 200, maxRetries: 3, maxQueue: 10 };

function routes(): Router {
  const router = new Router();
  // Identical errors: same code path, same message, one fingerprint.
  router.get('/api/storm/:n', () => { throw new Error('the payment provider refused the request'); });
  router.get('/api/twin/:k', (ctx) => {
    throw Object.assign(new Error('a new error both instances see'), { fingerprint: `twin-${ctx.params.k}` });
  });
  return router;
}

/** Events stored, and the occurrences they stand for together. */
async function storedEvents(conn: Connection): Promise<{ events: number; occurrences: number }> {
  const docs = await conn.collection('tripwire_events').find({}, { projection: { occurrences: 1 } }).toArray();
  return { events: docs.length, occurrences: docs.reduce((sum, doc) => sum + (doc.occurrences ?? 1), 0) };
}

/**
 * The most events a storm of one error can leave after `elapsedMs` of real time: the
 * rate limit's 100 a minute per group (a minute opened by the group's first event), one
 * folded tally per second, and one more for each flush() that may cut a second short.
 * Derived from the time the run really took, so a slow machine only loosens it.
 */
function maxStormEvents(elapsedMs: number, flushes: number): number {
  return 100 * (1 + Math.floor(elapsedMs / 60_000)) + Math.ceil(elapsedMs / 1000) + 1 + flushes;
}

/** The most alerts and digests one group gets in `elapsedMs`: the first, then at most one per window. */
function maxAnnouncements(elapsedMs: number, windowMs: number): number {
  return 2 + Math.floor(elapsedMs / windowMs);
}

function appFor(tripwire: Stack): Koa {
  const app = new Koa();
  app.silent = true;
  app.use(tripwire);
  const router = routes();
  app.use(router.routes());
  return app;
}

/** The notifier's waiting queue, sampled while a storm runs (a private field: the bound is internal). */
function queueSampler(notifier: SlackNotifier): { max(): number; stop(): void } {
  let max = 0;
  const read = () => (notifier as unknown as { queue: unknown[] }).queue.length;
  const timer = setInterval(() => { max = Math.max(max, read()); }, 2);
  return { max: () => Math.max(max, read()), stop: () => clearInterval(timer) };
}

describe('drill: Slack outage and alert floods', function () {
  this.timeout(180_000);
  let slack: FakeSlack;
  const dirs: string[] = [];
  const outbox = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tripwire-drill-slack-'));
    dirs.push(dir);
    return dir;
  };

  beforeEach(async () => {
    slack = await startFakeSlack();
  });

  afterEach(async () => {
    await slack.close();
  });

  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  async function database(name: string): Promise<{ uri: string; conn: Connection }> {
    const uri = await mongoUri(name);
    await dropDatabase(uri);
    return { uri, conn: await mongoose.createConnection(uri).asPromise() };
  }

  it('counts all 2,000 occurrences while Slack answers 500, keeps the Slack queue bounded, and accounts for every occurrence once Slack is back', async () => {
    const TOTAL = 2000;
    const DURING_OUTAGE = 1900;
    const WINDOW_MS = 1500;
    const { uri, conn } = await database('tripwire_drill_slack_outage');
    let slackDown = true;
    const answered: Array<{ request: ReceivedRequest; ok: boolean }> = [];
    slack.setDefault((request) => {
      answered.push({ request, ok: !slackDown });
      return slackDown ? { status: 500, body: 'rollup_error' } : undefined;
    });

    const store = new MongoStore({ uri, logger: silentLogger });
    const notifier = new SlackNotifier({ webhookUrl: slack.url, ...SLACK_OPTIONS, logger: silentLogger });
    const recorder = new RecordingNotifier(notifier);
    const tripwire = stack({
      errors: { store, notifiers: [recorder], windowMs: WINDOW_MS, logger: silentLogger, delivery: { outboxDir: outbox() } },
      brokenLinks: false,
    });
    const served = await serve(appFor(tripwire));
    const queue = queueSampler(notifier);
    try {
      const hit = (i: number) => send(served.port, `/api/storm/${i}`, { keepAlive: true, timeoutMs: 20_000 });
      const began = Date.now();
      const first = await storm(DURING_OUTAGE, 20, hit);
      expect(first.errors).to.deep.equal([]);
      // Slack has been failing: the first alert went out and was refused, retried, given up.
      await tripwire.flush();
      expect(answered.length, 'Slack was tried during the outage').to.be.above(0);
      expect(answered.every((a) => !a.ok)).to.equal(true);
      expect(notifier.stats.failed).to.be.at.least(1);

      slackDown = false;
      const second = await storm(TOTAL - DURING_OUTAGE, 20, (i) => hit(DURING_OUTAGE + i));
      expect(second.errors).to.deep.equal([]);
      expect([...first.results, ...second.results].every((r) => r?.status === 500)).to.equal(true);

      await eventually(async () => (await storedEvents(conn)).occurrences === TOTAL, { timeoutMs: 60_000, everyMs: 100 });
      const allStoredAfter = Date.now() - began;
      // Every occurrence is accounted for once the last digest is out.
      await eventually(async () => {
        await tripwire.flush();
        return accountedFor(recorder.alerts) >= TOTAL;
      }, { timeoutMs: 60_000, everyMs: 200 });
      await tripwire.flush();
      const announcedAfter = Date.now() - began;

      const { issues } = await store.listIssues({ status: 'all', kind: 'error', perPage: 10 });
      expect(issues).to.have.length(1);
      expect(issues[0].count).to.equal(TOTAL);
      const stored = await storedEvents(conn);
      expect(stored.occurrences).to.equal(TOTAL);
      // 100 events of their own in the group's first minute, then about one folding the rest per second.
      expect(stored.events, `events after ${allStoredAfter} ms`).to.be.within(101, maxStormEvents(allStoredAfter, 1));
      expect(accountedFor(recorder.alerts), 'alerts and digests account for each occurrence exactly').to.equal(TOTAL);
      expect(recorder.alerts[0].alert?.reason).to.equal('new');

      const delivered = answered.filter((a) => a.ok).map((a) => slackText(a.request));
      // One alert, then at most a digest per window however long the run took; Slack gets no more than that.
      expect(recorder.alerts.length, `alerts and digests in ${announcedAfter} ms`).to.be.at.most(maxAnnouncements(announcedAfter, WINDOW_MS));
      expect(delivered.length, `messages Slack took: ${delivered.join(' | ')}`).to.be.within(1, recorder.alerts.length);
      expect(delivered.some((text) => /more/.test(text)), 'a digest arrived after Slack came back').to.equal(true);

      // The notifier accounts for every alert it was handed and every request it made.
      const { stats } = notifier;
      expect(queue.max(), 'Slack queue length').to.be.at.most(SLACK_OPTIONS.maxQueue);
      expect(stats.sent + stats.failed + stats.dropped, 'alerts handed to Slack').to.equal(recorder.alerts.length);
      expect(stats.sent + stats.failed + stats.retried, 'requests Slack received').to.equal(slack.requests.length);
      expect(stats.sent).to.equal(delivered.length);
      expect(slack.requests.length, 'a storm does not become a flood of retries').to.be.at.most((SLACK_OPTIONS.maxRetries + 1) * recorder.alerts.length);
    } finally {
      queue.stop();
      await served.close();
      await tripwire.close(5000);
      await store.close();
      await conn.close();
    }
  });

  it('turns 10,000 identical errors into one issue counting 10,000, a few hundred events at most, and at most 5 Slack messages whose counts add up to it', async () => {
    const TOTAL = 10_000;
    const { uri, conn } = await database('tripwire_drill_slack_flood');
    const store = new MongoStore({ uri, logger: silentLogger });
    const notifier = new SlackNotifier({ webhookUrl: slack.url, ...SLACK_OPTIONS, logger: silentLogger });
    // A window longer than the storm: one alert when the issue appears, and the
    // digest of everything held back when the app shuts down (close() sends it).
    const tripwire = stack({
      errors: { store, notifiers: [notifier], windowMs: 10 * 60_000, logger: silentLogger, delivery: { outboxDir: outbox() } },
      brokenLinks: false,
    });
    const served = await serve(appFor(tripwire));
    const queue = queueSampler(notifier);
    let closed = false;
    try {
      const began = Date.now();
      const { results, errors } = await storm(TOTAL, 32, (i) => send(served.port, `/api/storm/${i}`, { keepAlive: true, timeoutMs: 30_000 }));
      expect(errors).to.deep.equal([]);
      expect(results.every((r) => r?.status === 500)).to.equal(true);

      await eventually(async () => {
        await tripwire.flush();
        return (await storedEvents(conn)).occurrences === TOTAL;
      }, { timeoutMs: 120_000, everyMs: 250 });
      const allStoredAfter = Date.now() - began;
      await tripwire.flush();
      expect(slack.requests.map((r) => slackText(r)), 'during the storm: the first alert only').to.have.length(1);
      expect(slackText(slack.requests[0])).to.match(/New issue/);

      await served.close();
      await tripwire.close(10_000);
      closed = true;

      const texts = slack.requests.map((r) => slackText(r));
      expect(texts.length, texts.join(' | ')).to.be.within(2, 5);
      expect(texts.some((t) => /×\d+ more in the last/.test(t)), 'a digest').to.equal(true);
      const issues = await conn.collection('tripwire_issues').find({}).toArray();
      expect(issues).to.have.length(1);
      expect(issues[0].count).to.equal(TOTAL);
      const stored = await storedEvents(conn);
      expect(stored.occurrences).to.equal(TOTAL);
      // Each flush() in the wait above may hand on a tally a second early: one per 250 ms poll at most.
      expect(stored.events, `events after ${allStoredAfter} ms`).to.be.within(101, maxStormEvents(allStoredAfter, Math.ceil(allStoredAfter / 250) + 2));
      expect(texts.reduce((sum, t) => sum + occurrencesInSlackText(t), 0), 'alert + digest counts').to.equal(TOTAL);
      expect(queue.max()).to.be.at.most(SLACK_OPTIONS.maxQueue);
      expect(notifier.stats).to.include({ failed: 0, dropped: 0 });
      expect(notifier.stats.sent).to.equal(texts.length);
    } finally {
      queue.stop();
      if (!closed) {
        await served.close();
        await tripwire.close(5000);
      }
      await store.close();
      await conn.close();
    }
  });

  it('sends exactly one "new" alert when two instances on one database see the same new error', async () => {
    const GROUPS = 5;
    const PER_INSTANCE = 3;
    const { uri, conn } = await database('tripwire_drill_slack_twins');
    const instances: Array<{ store: MongoStore; recorder: RecordingNotifier; tripwire: Stack; served: Served }> = [];
    for (let i = 0; i < 2; i++) {
      const store = new MongoStore({ uri, logger: silentLogger });
      const recorder = new RecordingNotifier(new SlackNotifier({ webhookUrl: slack.url, ...SLACK_OPTIONS, logger: silentLogger }));
      const tripwire = stack({
        errors: { store, notifiers: [recorder], windowMs: 10 * 60_000, logger: silentLogger, delivery: { outboxDir: outbox() } },
        brokenLinks: false,
      });
      instances.push({ store, recorder, tripwire, served: await serve(appFor(tripwire)) });
    }
    try {
      // Both instances are hit at once with each new error, several times.
      for (let k = 0; k < GROUPS; k++) {
        const hits = instances.flatMap(({ served }) =>
          Array.from({ length: PER_INSTANCE }, () => send(served.port, `/api/twin/${k}`, { timeoutMs: 20_000 })));
        const answers = await Promise.all(hits);
        expect(answers.every((a) => a.status === 500)).to.equal(true);
      }
      await Promise.all(instances.map((i) => i.tripwire.flush()));

      const issues = await conn.collection('tripwire_issues').find({}).toArray();
      expect(issues).to.have.length(GROUPS);
      expect(issues.map((i) => i.count)).to.deep.equal(Array(GROUPS).fill(2 * PER_INSTANCE));
      expect(await conn.collection('tripwire_events').countDocuments()).to.equal(GROUPS * 2 * PER_INSTANCE);

      const alerts = instances.flatMap((i) => i.recorder.alerts);
      expect(alerts.map((a) => a.alert?.reason), 'alerts between both instances').to.deep.equal(Array(GROUPS).fill('new'));
      expect(new Set(alerts.map((a) => a.fingerprint)).size).to.equal(GROUPS);
      expect(slack.requests, 'Slack messages').to.have.length(GROUPS);
      expect(slack.requests.every((r) => /New issue/.test(slackText(r)))).to.equal(true);

      // At shutdown both hold back occurrences; the shared ledger gives each group's digest to one of them.
      await Promise.all(instances.map(async (i) => {
        await i.served.close();
        await i.tripwire.close(10_000);
      }));
      const all = instances.flatMap((i) => i.recorder.alerts);
      for (const issue of issues) {
        expect(accountedFor(all, String(issue._id)), `occurrences of ${String(issue._id)} announced`).to.equal(2 * PER_INSTANCE);
        const digests = all.filter((a) => a.fingerprint === String(issue._id) && a.alert?.reason === 'digest');
        expect(digests, 'one digest per group').to.have.length(1);
        // The digest says "Seen N times": N is the issue's count in the shared store, not
        // what the instance that won the digest happened to see at its own last save.
        expect(digests[0].alert?.count, 'count shown by the digest').to.equal(issue.count);
      }
    } finally {
      for (const { served, tripwire, store } of instances) {
        await served.close();
        await tripwire.close(1000);
        await store.close();
      }
      await conn.close();
    }
  });
});
