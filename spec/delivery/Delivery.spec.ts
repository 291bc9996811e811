import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Delivery, type DeliveryOptions } from '../../lib/delivery/Delivery';
import { MongoStore } from '../../lib/stores/mongo/MongoStore';
import { silentLogger } from '../../lib/core/logger';
import type { Logger } from '../../lib/core/logger';
import type { Report } from '../../lib/report/Report';
import { PermanentStoreError, type Store } from '../../lib/contracts/store';
import { mongoServer, mongoUri } from '../support/mongoServer';
import { makeReport } from '../support/reports';
import { RecordingNotifier } from '../support/recordingNotifier';
import { eventually } from '../support/eventually';
import { startMongoProxy } from '../support/drillProxy';
import { FakeClock } from '../support/fakeClock';
import { SpecStore } from '../support/specStore';
import { startFakeSlack } from '../support/fakeSlack';
import { SlackNotifier } from '../../lib/notifiers/slack/SlackNotifier';

const DB = 'tripwire_delivery_spec';

function capturingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (message: string, fields?: Record<string, unknown>) => { lines.push(`${message} ${JSON.stringify(fields ?? {})}`); };
  return { lines, info: push, warn: push, error: push };
}

function tempOutbox(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'tripwire-outbox-'));
}

function segmentsIn(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.ndjson')).sort() : [];
}

describe('Delivery', function () {
  this.timeout(180_000);
  const open: Delivery[] = [];
  const dirs: string[] = [];

  function delivery(options: DeliveryOptions): Delivery {
    const outboxDir = options.outboxDir ?? tempOutbox();
    dirs.push(outboxDir);
    const created = new Delivery({ logger: silentLogger, retry: { baseMs: 20, maxMs: 200 }, ...options, outboxDir });
    open.push(created);
    return created;
  }

  afterEach(async () => {
    await Promise.all(open.splice(0).map((d) => d.close(2000)));
  });

  after(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('options', () => {
    it('are validated with errors naming the option', () => {
      expect(() => new Delivery({ name: '../x' })).to.throw(TypeError, /`name`/);
      expect(() => new Delivery({ store: {} as Store })).to.throw(TypeError, /`store`/);
      expect(() => new Delivery({ notifiers: [{}] as never })).to.throw(TypeError, /`notifiers`/);
      expect(() => new Delivery({ windowMs: 0 })).to.throw(RangeError, /`windowMs`/);
      expect(() => new Delivery({ eventsPerMinute: 0 })).to.throw(RangeError, /`eventsPerMinute`/);
      expect(() => new Delivery({ maxQueue: 1.5 })).to.throw(RangeError, /`maxQueue`/);
      expect(() => new Delivery({ batchSize: -1 })).to.throw(RangeError, /`batchSize`/);
      expect(() => new Delivery({ saveTimeoutMs: 0 })).to.throw(RangeError, /`saveTimeoutMs`/);
      expect(() => new Delivery({ outboxMaxBytes: 0 })).to.throw(RangeError, /`outboxMaxBytes`/);
      expect(() => new Delivery({ retry: { baseMs: 100, maxMs: 10 } })).to.throw(RangeError, /`retry.maxMs`/);
      expect(() => new Delivery({ logger: {} as Logger })).to.throw(TypeError, /`logger`/);
      expect(() => new Delivery({ clock: { now: () => 0 } as never })).to.throw(TypeError, /`clock`/);
      expect(() => new Delivery({ notifyTimeoutMs: 0 })).to.throw(RangeError, /`notifyTimeoutMs`/);
      expect(() => new Delivery({ enrich: 'yes' as never })).to.throw(TypeError, /`enrich`/);
      expect(() => new Delivery({ batchSzie: 10 } as never)).to.throw(TypeError, /unknown option `batchSzie`; did you mean `batchSize`/);
      expect(() => new Delivery({ retry: { baseMS: 10 } } as never)).to.throw(TypeError, /did you mean `baseMs`/);
    });
  });

  it('accepts synchronously and stores later, batch by batch, in order', async () => {
    const store = new SpecStore({ gated: true });
    const d = delivery({ store, batchSize: 2 });
    const reports = Array.from({ length: 5 }, (_, i) => makeReport({ fingerprint: `order-${i}` }));

    reports.slice(0, 3).forEach((r) => d.accept(r));
    expect(d.stats).to.include({ accepted: 3, queued: 3, stored: 0 });
    expect(store.attempts).to.have.length(0);

    await eventually(() => store.held === 1, { what: 'the first save to start' });
    expect(store.attempts).to.deep.equal([reports.slice(0, 2).map((r) => r.id)]);
    reports.slice(3).forEach((r) => d.accept(r));
    expect(d.stats.queued).to.equal(3);

    store.release({ open: true });
    await d.flush();
    expect(store.stored).to.deep.equal(reports.map((r) => r.id));
    expect(store.attempts.map((ids) => ids.length)).to.deep.equal([2, 2, 1]);
    expect(d.stats).to.include({ accepted: 5, stored: 5, queued: 0, outboxed: 0, dropped: 0 });
  });

  it('offer(): builds nothing on the request path; the worker builds what the rate limit admits, and only the latest folded one for the tally', async () => {
    const store = new SpecStore();
    const d = delivery({ store, eventsPerMinute: 2 });
    const built: number[] = [];
    for (let n = 0; n < 10; n++) d.offer('error', 'offered', () => { built.push(n); return makeReport({ fingerprint: 'offered', id: `offer-${n}` }); });
    expect(built, 'nothing built while offering').to.deep.equal([]);
    expect(d.stats).to.include({ accepted: 10, folded: 8 });
    await d.flush();
    expect([...built].sort((a, b) => a - b)).to.deep.equal([0, 1, 9]);
    expect(store.stored).to.deep.equal(['offer-0', 'offer-1', 'offer-9']);
    expect(d.stats).to.include({ stored: 3, dropped: 0 });
  });

  it('offer() without a group is queued unbuilt and never folded', async () => {
    const store = new SpecStore();
    const d = delivery({ store, eventsPerMinute: 1 });
    let builds = 0;
    for (let n = 0; n < 4; n++) d.offer('error', null, () => { builds++; return makeReport({ fingerprint: 'ungrouped' }); });
    expect(builds).to.equal(0);
    expect(d.stats).to.include({ accepted: 4, folded: 0 });
    await d.flush();
    expect(builds).to.equal(4);
    expect(store.stored).to.have.length(4);
  });

  it('offer() after close() parks the report in the outbox (built off the request path), folding nothing', async () => {
    const store = new SpecStore();
    const d = delivery({ store, eventsPerMinute: 1 });
    await d.close(1000);
    let builds = 0;
    for (let n = 0; n < 3; n++) d.offer('error', 'late', () => { builds++; return makeReport({ fingerprint: 'late' }); });
    expect(builds).to.equal(0);
    expect(d.stats).to.include({ accepted: 3, folded: 0 });
    await eventually(() => d.stats.outboxed === 3, { what: 'the late reports in the outbox' });
    expect(builds).to.equal(3);
  });

  it('without a store, counts groups in memory and tells the notifiers', async () => {
    const notifier = new RecordingNotifier();
    const d = delivery({ store: null, notifiers: [notifier] });
    d.accept(makeReport({ fingerprint: 'no-store-a' }));
    d.accept(makeReport({ fingerprint: 'no-store-b' }));
    await d.flush();
    expect(notifier.received.map((r) => [r.fingerprint, r.alert?.reason, r.alert?.count])).to.deep.equal([
      ['no-store-a', 'new', 1], ['no-store-b', 'new', 1],
    ]);
    expect(d.stats).to.include({ stored: 0, alerts: 2, outboxed: 0 });
  });

  it('throttles a storm of 1,000 identical reports to one alert and digests that account for the rest', async () => {
    const notifier = new RecordingNotifier();
    const windowMs = 1500;
    const store = new SpecStore();
    const clock = new FakeClock();
    const d = delivery({ store, notifiers: [notifier], windowMs, clock });
    for (let i = 0; i < 1000; i++) d.accept(makeReport({ fingerprint: 'storm' }));
    await d.flush();
    // 100 events a minute per group (the default); the other 900 are counted into one tally.
    expect(d.stats).to.include({ accepted: 1000, folded: 900, stored: 101 });
    expect(store.stored).to.have.length(101);

    const accounted = () => notifier.received.reduce((sum, r) => sum + (r.alert?.reason === 'digest' ? 0 : 1) + (r.alert?.suppressed ?? 0), 0);
    expect(notifier.reasons(), 'inside the window: the first alert only').to.deep.equal(['new']);
    await clock.advance(windowMs + 100);
    expect(accounted(), 'digests accounting for every occurrence').to.equal(1000);
    const reasons = notifier.reasons();
    expect(reasons).to.deep.equal(['new', 'digest']);
    const digestTotal = notifier.received.filter((r) => r.alert?.reason === 'digest').reduce((sum, r) => sum + (r.alert?.suppressed ?? 0), 0);
    expect(digestTotal).to.equal(999);
    expect(notifier.received.every((r) => r.alert?.windowMs === windowMs)).to.equal(true);
    expect(d.stats).to.include({ alerts: 1, digests: reasons.length - 1 });

    // After a quiet window, the next occurrence is announced again.
    await clock.advance(windowMs + 100);
    d.accept(makeReport({ fingerprint: 'storm' }));
    await d.flush();
    expect(notifier.reasons().at(-1)).to.equal('window');
  });

  it('isolates notifiers: a throwing, rejecting or hanging one affects neither the others nor the store', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const hanging = new RecordingNotifier('hanging', 'hang');
    const good = new RecordingNotifier('good');
    const picky = new RecordingNotifier('picky', 'record', (r) => r.status >= 500 && r.fingerprint.endsWith('2'));
    const store = new SpecStore();
    const logger = capturingLogger();
    try {
      const d = delivery({ store, logger, batchSize: 1, notifiers: [new RecordingNotifier('thrower', 'throw'), new RecordingNotifier('rejecter', 'reject'), hanging, good, picky] });
      d.accept(makeReport({ fingerprint: 'iso-1' }));
      d.accept(makeReport({ fingerprint: 'iso-2' }));
      await eventually(() => good.received.length === 2, { what: 'the good notifier to hear both' });
      // The hanging notifier holds neither the second batch nor the others, only its own
      // next alert (each notifier has one paced queue: lib/notifiers/notifierPipeline.ts).
      expect(store.stored).to.have.length(2);
      expect(hanging.received).to.have.length(1);
      expect(picky.received.map((r) => r.fingerprint)).to.deep.equal(['iso-2']);
      await eventually(() => d.stats.notifyFailed === 4, { what: 'the failures to be counted' });
      expect(logger.lines.filter((l) => l.startsWith('notifier failed'))).to.have.length(4);
      hanging.unblock();
      await d.flush();
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).to.deep.equal([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('spills past maxQueue to the outbox, and past outboxMaxBytes drops, counts and logs', async () => {
    const store = new SpecStore({ gated: true });
    const logger = capturingLogger();
    const lineBytes = Buffer.byteLength(`${JSON.stringify({ report: makeReport({ fingerprint: 'overflow' }), notified: false })}\n`);
    const d = delivery({ store, logger, maxQueue: 10, outboxMaxBytes: Math.floor(lineBytes * 3.5) });
    const reports = Array.from({ length: 15 }, () => makeReport({ fingerprint: 'overflow' }));
    reports.forEach((r) => d.accept(r));
    expect(d.stats).to.include({ accepted: 15, queued: 10 });

    await eventually(() => d.stats.outboxed + d.stats.dropped === 5, { what: 'the overflow to be spilled or dropped' });
    expect(d.stats).to.include({ outboxed: 3, dropped: 2 });
    expect(logger.lines.some((l) => l.startsWith('reports dropped') && /outbox full/.test(l))).to.equal(true);

    store.release({ open: true });
    await eventually(() => d.stats.stored === 13, { what: 'queued and spilled reports to be stored' });
    expect(store.stored).to.have.members(reports.slice(0, 13).map((r) => r.id));
    expect(d.stats.replayed).to.equal(3);
  });

  it('parks a batch whose save neither succeeds nor fails within saveTimeoutMs, and goes on', async () => {
    const store = new SpecStore({ gated: true });
    const logger = capturingLogger();
    const d = delivery({ store, saveTimeoutMs: 100, logger });
    const hung = makeReport({ fingerprint: 'hung' });
    d.accept(hung);
    await eventually(() => d.stats.outboxed === 1, { what: 'the hung batch to be parked' });
    expect(logger.lines.some((l) => l.startsWith('store unavailable') && l.includes('did not answer within 100 ms'))).to.equal(true);
    // The store answers again: the replay stores it, and the late answer of the first save changes nothing.
    store.release({ open: true });
    await eventually(() => d.stats.replayed === 1, { what: 'the replay' });
    const after = makeReport({ fingerprint: 'after' });
    d.accept(after);
    await d.flush();
    expect(store.stored).to.deep.equal([hung.id, after.id]);
  });

  it('after close, parks undelivered reports in the outbox and closes notifiers and store', async () => {
    const store = new SpecStore({ gated: true });
    const notifier = new RecordingNotifier();
    const dir = tempOutbox();
    dirs.push(dir);
    const d = new Delivery({ store, notifiers: [notifier], outboxDir: dir, logger: silentLogger, batchSize: 2 });
    const reports = Array.from({ length: 5 }, () => makeReport({ fingerprint: 'closing' }));
    reports.forEach((r) => d.accept(r));
    await eventually(() => store.held === 1, { what: 'a save in flight' });
    await d.close(300);
    // The in-flight batch and the queue are parked; the store never took them.
    expect(d.stats.outboxed).to.equal(5);
    d.accept(makeReport({ fingerprint: 'closing' }));
    await eventually(() => d.stats.outboxed === 6, { what: 'a late report to go straight to the outbox' });
    expect(notifier.closed).to.equal(true);
    expect(store.closed).to.equal(true);
    expect(segmentsIn(dir).length).to.be.at.least(1);
    store.release({ open: true });

    // A new process replays them, announcing what was never announced.
    const replayStore = new SpecStore();
    const replayNotifier = new RecordingNotifier();
    const next = delivery({ store: replayStore, notifiers: [replayNotifier], outboxDir: dir });
    await eventually(() => next.stats.replayed === 6, { what: 'the replay' });
    expect(new Set(replayStore.stored)).to.have.property('size', 6);
    await eventually(() => replayNotifier.received.length === 1, { what: 'one alert' });
    expect(replayNotifier.reasons()).to.deep.equal(['new']);
    await eventually(() => segmentsIn(dir).length === 0, { what: 'the outbox to empty' });
  });

  it('replays what an earlier instance left, in order and once, skipping a line cut short', async () => {
    const dir = tempOutbox();
    dirs.push(dir);
    const down = new SpecStore();
    down.down = true;
    const firstNotifier = new RecordingNotifier();
    const first = new Delivery({ store: down, notifiers: [firstNotifier], outboxDir: dir, logger: silentLogger, batchSize: 3, retry: { baseMs: 60_000, maxMs: 60_000 } });
    const reports = Array.from({ length: 8 }, (_, i) => makeReport({ fingerprint: `restart-${i % 2}` }));
    reports.forEach((r) => first.accept(r));
    await first.flush();
    expect(first.stats.outboxed).to.equal(8);
    // The alerts went out during the outage, throttled in memory.
    expect(firstNotifier.reasons()).to.deep.equal(['new', 'new']);
    await first.close(1000);

    // A kill mid-write leaves a partial last line.
    const segments = segmentsIn(dir);
    fs.appendFileSync(path.join(dir, segments.at(-1) as string), '{"report":{"id":"cut-sh');

    const logger = capturingLogger();
    const store = new SpecStore();
    const notifier = new RecordingNotifier();
    const second = delivery({ store, notifiers: [notifier], outboxDir: dir, logger });
    await eventually(() => segmentsIn(dir).length === 0, { what: 'the outbox to be replayed' });
    expect(store.stored).to.deep.equal(reports.map((r) => r.id));
    expect(second.stats).to.include({ replayed: 8, stored: 8 });
    expect(logger.lines.some((l) => /corrupt/.test(l))).to.equal(true);
    // Already announced by the first instance: no second alert.
    await second.flush();
    expect(notifier.received).to.deep.equal([]);
  });

  it('stores a report accepted right after construction behind the segments an earlier instance left, not ahead of them', async () => {
    const dir = tempOutbox();
    const old = makeReport({ fingerprint: 'old' });
    fs.writeFileSync(path.join(dir, '000000000001.ndjson'), `${JSON.stringify({ report: old, notified: false })}\n`);
    const store = new SpecStore();
    const fresh = makeReport({ fingerprint: 'fresh' });
    // Accepted before the outbox has listed its folder.
    delivery({ store, outboxDir: dir }).accept(fresh);
    await eventually(() => store.stored.length === 2, { what: 'both reports to be stored' });
    expect(store.stored).to.deep.equal([old.id, fresh.id]);
  });

  describe('deadlines', () => {
    it('flush() resolves once a notifier call that never settles is past notifyTimeoutMs, and counts it failed', async () => {
      const clock = new FakeClock();
      const hanging = new RecordingNotifier('hanging', 'hang');
      const d = delivery({ store: new SpecStore(), notifiers: [hanging], notifyTimeoutMs: 5000, clock });
      d.accept(makeReport({ fingerprint: 'never-settles' }));
      let flushed = false;
      const flushing = d.flush().then(() => { flushed = true; });
      await eventually(() => hanging.received.length === 1, { what: 'the notifier to be called' });
      await clock.advance(4999);
      expect(flushed, 'before notifyTimeoutMs').to.equal(false);
      await clock.advance(1);
      await flushing;
      expect(d.stats).to.include({ stored: 1, alerts: 1, notifyFailed: 1 });
      hanging.unblock();
    });

    it('close(1000) resolves at its deadline though the notifier never settles and its close() hangs, everything undelivered in the outbox', async () => {
      const clock = new FakeClock();
      const store = new SpecStore({ gated: true });
      const stuck = new RecordingNotifier('stuck', 'hang');
      stuck.close = () => new Promise<void>(() => undefined);
      const dir = tempOutbox();
      dirs.push(dir);
      const d = new Delivery({ store, notifiers: [stuck], outboxDir: dir, logger: silentLogger, batchSize: 2, clock });
      const reports = Array.from({ length: 5 }, () => makeReport({ fingerprint: 'deadline' }));
      reports.forEach((r) => d.accept(r));
      await eventually(() => store.held === 1, { what: 'a save in flight' });
      let closed = false;
      const closing = d.close(1000).then(() => { closed = true; });
      await clock.advance(900);
      expect(closed, 'well before the deadline').to.equal(false);
      await clock.advance(100);
      await closing;
      const parked = segmentsIn(dir).flatMap((f) => fs.readFileSync(path.join(dir, f), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { report: Report }).report.id));
      expect(parked.sort()).to.deep.equal(reports.map((r) => r.id).sort());
      expect(d.stats.outboxed).to.equal(5);
      store.release({ open: true });
    });

    it('close(1000) resolves in under 1.1 s of real time while Slack answers 500, everything in the outbox', async () => {
      const slack = await startFakeSlack();
      slack.setDefault({ status: 500, body: 'rollup_error' });
      const store = new SpecStore();
      store.down = true;
      // Retries far apart: without a deadline, the notifier would keep close() waiting for seconds.
      const notifier = new SlackNotifier({ webhookUrl: slack.url, retryBaseMs: 3000, retryMaxMs: 3000, maxRetries: 5, logger: silentLogger });
      const dir = tempOutbox();
      dirs.push(dir);
      const d = new Delivery({ store, notifiers: [notifier], outboxDir: dir, logger: silentLogger, retry: { baseMs: 60_000, maxMs: 60_000 } });
      try {
        const reports = Array.from({ length: 20 }, (_, i) => makeReport({ fingerprint: `slack-down-${i % 4}` }));
        reports.forEach((r) => d.accept(r));
        await eventually(() => slack.requests.length >= 1, { what: 'Slack to be tried' });
        // close() runs on real timers here (the Slack server is real), so its bound allows for
        // how late this machine fires a 1 s timer right now: a loaded CI box delays both alike.
        const started = Date.now();
        const timerLateness = new Promise<number>((resolve) => setTimeout(() => resolve(Date.now() - started - 1000), 1000));
        await d.close(1000);
        const took = Date.now() - started;
        expect(took, 'close(1000) took').to.be.below(1100 + Math.max(0, await timerLateness));
        expect(d.stats.outboxed).to.equal(20);
        const parked = segmentsIn(dir).flatMap((f) => fs.readFileSync(path.join(dir, f), 'utf8').trim().split('\n'));
        expect(parked).to.have.length(20);
      } finally {
        await slack.close();
      }
    });
  });

  it('leaves no timer that keeps a process alive: a process that never closes its deliveries exits by itself', async () => {
    const dir = tempOutbox();
    dirs.push(dir);
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', path.join(__dirname, '../support/idleDeliveryProcess.ts'), dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    // Only bounds a broken run: every timer it set is an hour long.
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const [code, signal] = await once(child, 'exit') as [number | null, string | null];
    clearTimeout(killer);
    expect({ code, signal }, output).to.deep.equal({ code: 0, signal: null });
    // The outage was on (parked, announced through the hanging notifier) when it was left running.
    expect(output).to.match(/left running .*"outboxed":[1-9].*"alerts":1/);
  });

  describe('poison reports', () => {
    it('replays an old segment holding a poison line: the poison is isolated and dead-lettered, the rest stored, the segment gone', async () => {
      const dir = tempOutbox();
      dirs.push(dir);
      const good = Array.from({ length: 5 }, () => makeReport({ fingerprint: 'old-segment' }));
      const poison = makeReport({ fingerprint: 'refused-forever' });
      // As an earlier version (or another process) left it: one segment, the poison in the middle.
      const lines = [...good.slice(0, 2), poison, ...good.slice(2)].map((report) => JSON.stringify({ report, notified: true }));
      fs.writeFileSync(path.join(dir, '000000000001.ndjson'), `${lines.join('\n')}\n`);
      const store = new SpecStore({ refuse: (r) => (r.fingerprint === 'refused-forever' ? new PermanentStoreError('document failed validation') : null) });
      const clock = new FakeClock();
      const d = delivery({ store, outboxDir: dir, clock });
      // No backoff pause is ever needed: the fake clock is not advanced.
      await eventually(() => segmentsIn(dir).length === 0, { what: 'the old segment to be replayed' });
      expect(store.stored.sort()).to.deep.equal(good.map((r) => r.id).sort());
      expect(d.stats).to.include({ replayed: 5, stored: 5, deadLettered: 1, dropped: 0 });
      const dead = fs.readdirSync(path.join(dir, 'dead')).flatMap((f) => fs.readFileSync(path.join(dir, 'dead', f), 'utf8').trim().split('\n'));
      expect(dead.map((l) => (JSON.parse(l) as { id: string }).id)).to.deep.equal([poison.id]);
      // Later reports are not held behind it.
      const later = makeReport({ fingerprint: 'after-poison' });
      d.accept(later);
      await d.flush();
      expect(store.stored).to.include(later.id);
    });
  });

  describe('with MongoStore', function () {
    let uri: string;

    before(async () => {
      uri = await mongoUri(DB);
      const conn = await mongoose.createConnection(uri).asPromise();
      await conn.dropDatabase();
      await conn.close();
    });

    it('parks batches while MongoDB is down and replays them in order, exactly once, when it returns', async () => {
      // Stops the shared server when we own it; otherwise cuts a proxy in front of it.
      const server = await mongoServer();
      const proxy = server.canRestart ? null : await startMongoProxy(uri);
      const outage = proxy ? { begin: async () => proxy.cut(), end: async () => proxy.restore() } : { begin: () => server.stop(), end: () => server.start() };
      const store = new MongoStore({ uri: proxy?.uri ?? uri, serverSelectionTimeoutMS: 1000, logger: silentLogger });
      const saved: string[] = [];
      const recording: Store = {
        save: async (reports) => {
          const outcomes = await store.save(reports);
          saved.push(...reports.map((r) => r.id));
          return outcomes;
        },
        alertLedger: (kind) => store.alertLedger(kind),
        close: () => store.close(),
      };
      const notifier = new RecordingNotifier();
      const logger = capturingLogger();
      const dir = tempOutbox();
      const d = delivery({ store: recording, notifiers: [notifier], outboxDir: dir, logger, batchSize: 4, retry: { baseMs: 100, maxMs: 1000 }, saveTimeoutMs: 5000 });

      const warmup = makeReport({ fingerprint: 'outage-warmup' });
      d.accept(warmup);
      // A slow first connection may park the warm-up too; either way it ends up stored.
      await eventually(() => d.stats.stored === 1 && segmentsIn(dir).length === 0, { what: 'the warm-up report to be stored' });
      const linesBefore = logger.lines.length;
      const outboxedBefore = d.stats.outboxed;
      const replayedBefore = d.stats.replayed;

      const during = Array.from({ length: 10 }, (_, i) => makeReport({ fingerprint: `outage-${i % 3}` }));
      try {
        await outage.begin();
        during.slice(0, 6).forEach((r) => d.accept(r));
        await d.flush();
        during.slice(6).forEach((r) => d.accept(r));
        await d.flush();
        expect(d.stats.outboxed - outboxedBefore).to.equal(10);
        expect(segmentsIn(dir).length).to.be.at.least(1);
        const parked = segmentsIn(dir).flatMap((f) => fs.readFileSync(path.join(dir, f), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { report: Report; notified: boolean }));
        expect(parked.map((e) => e.report.id)).to.deep.equal(during.map((r) => r.id));
        expect(parked.every((e) => e.notified)).to.equal(true);
        expect(logger.lines.slice(linesBefore).filter((l) => l.startsWith('store unavailable'))).to.have.length(1);
      } finally {
        await outage.end();
      }

      await eventually(() => d.stats.replayed === replayedBefore + 10 && segmentsIn(dir).length === 0, { what: 'the outbox to replay after the restart', timeoutMs: 120_000 });
      // A save cut off mid-way may still answer after its deadline; the store is idempotent, so
      // the order of first saves is what counts here, and the counts below show nothing doubled.
      expect([...new Set(saved)]).to.deep.equal([warmup.id, ...during.map((r) => r.id)]);
      expect(await store.connection.collection('tripwire_events').countDocuments()).to.equal(11);
      const { issues } = await store.listIssues({ status: 'all', kind: 'error', perPage: 10 });
      const counts = Object.fromEntries(issues.map((i) => [i.fingerprint, i.count]));
      expect(counts).to.deep.equal({ 'outage-warmup': 1, 'outage-0': 4, 'outage-1': 3, 'outage-2': 3 });
      // One alert per group: sent during the outage, not again on replay.
      await d.flush();
      expect(notifier.received.filter((r) => r.alert?.reason !== 'digest').map((r) => r.fingerprint).sort())
        .to.deep.equal(['outage-0', 'outage-1', 'outage-2', 'outage-warmup']);
      await d.close(5000);
      await proxy?.close();
    });

    it('a report with a NUL in a key and one over 16 MB neither stall nor stop storage: both stored repaired, later reports stored at once', async () => {
      const store = new MongoStore({ uri, logger: silentLogger });
      const notifier = new RecordingNotifier();
      const logger = capturingLogger();
      // Never advanced: a report stored only after a retry or a backoff pause would never be stored.
      const clock = new FakeClock();
      const d = delivery({ store, notifiers: [notifier], logger, clock });
      const tag = `poison-${Date.now()}`;
      const nul = makeReport({ fingerprint: `${tag}-nul` });
      (nul.request as { query: Record<string, unknown> }).query = { 'a\u0000b': '1' };
      const bulky = makeReport({ fingerprint: `${tag}-bulky` });
      (bulky.error as { extra: Record<string, unknown> }).extra = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`p${i}`, Array.from({ length: 100 }, () => 'x'.repeat(8192))]));
      const before = Array.from({ length: 3 }, () => makeReport({ fingerprint: `${tag}-fine` }));
      [before[0], nul, before[1], bulky, before[2]].forEach((r) => d.accept(r));
      await d.flush();
      const later = Array.from({ length: 3 }, () => makeReport({ fingerprint: `${tag}-later` }));
      later.forEach((r) => d.accept(r));
      await d.flush();

      const events = store.connection.collection('tripwire_events');
      const storedIds = (await events.find({ fingerprint: { $regex: `^${tag}` } }, { projection: { _id: 1 } }).toArray()).map((e) => String(e._id));
      expect(storedIds.sort()).to.deep.equal([...before, nul, bulky, ...later].map((r) => r.id).sort());
      expect(d.stats).to.include({ stored: 8, outboxed: 0, dropped: 0, deadLettered: 0 });
      // The bulky one is refused by the driver; the store repairs it itself (lib/stores/mongo/eventWrites.ts).
      expect(((await store.getEvent(bulky.id))?.error as { extra?: { tripwireRepaired?: string } }).extra?.tripwireRepaired).to.match(/removed/);
      expect((await store.getIssue('error', `${tag}-bulky`))?.count).to.equal(1);
      const { events: [storedNul] } = await store.listEvents(`${tag}-nul`, { perPage: 1 });
      const storedKeys = Object.keys((storedNul.request as { query?: object } | undefined)?.query ?? {});
      expect(storedKeys).to.have.length(1);
      expect(storedKeys[0]).to.match(/^a.b$/);
      expect(notifier.received.map((r) => r.fingerprint).sort()).to.deep.equal([`${tag}-bulky`, `${tag}-fine`, `${tag}-later`, `${tag}-nul`]);
      expect(logger.lines.filter((l) => l.startsWith('store unavailable'))).to.deep.equal([]);
    });

    it('counts all of a 10,000-error storm, stores 100 of them as events and folds the rest into one, with one alert and one digest', async () => {
      const notifier = new RecordingNotifier();
      // One clock for the store and the delivery: the store stamps the alert state it writes on the save.
      const clock = new FakeClock();
      const store = new MongoStore({ uri, logger: silentLogger, clock });
      // On the fake clock no tally is handed on mid-storm, however long the saves take: flush() hands on the one.
      const d = delivery({ store, notifiers: [notifier], clock });
      const fingerprint = `storm-${Date.now()}`;
      for (let i = 0; i < 10_000; i++) d.accept(makeReport({ fingerprint }));
      expect(d.stats).to.include({ dropped: 0, folded: 9_900 });
      await d.flush();
      expect((await store.getIssue('error', fingerprint))?.count).to.equal(10_000);
      const { events } = await store.listEvents(fingerprint, { perPage: 500 });
      expect(events).to.have.length(101);
      expect(events.map((e) => e.occurrences).sort((a, b) => b - a).slice(0, 2)).to.deep.equal([9_900, 1]);
      await d.close(30_000);
      expect(notifier.received.map((r) => [r.alert?.reason, r.alert?.suppressed])).to.deep.equal([['new', 0], ['digest', 9_999]]);
      expect(d.stats).to.include({ stored: 101, outboxed: 0, dropped: 0, alerts: 1, digests: 1 });
    });

    it('with eventsPerMinute null, stores every one of a 10,000-error storm as an event', async () => {
      const notifier = new RecordingNotifier();
      const clock = new FakeClock();
      const store = new MongoStore({ uri, logger: silentLogger, clock });
      // All 10,000 are accepted in one tick, so the queue must hold them (HTTP traffic arrives a request per tick).
      const d = delivery({ store, notifiers: [notifier], maxQueue: 10_000, eventsPerMinute: null, clock });
      const fingerprint = `storm-all-${Date.now()}`;
      for (let i = 0; i < 10_000; i++) d.accept(makeReport({ fingerprint }));
      expect(d.stats).to.include({ dropped: 0, folded: 0 });
      await d.flush();
      expect((await store.getIssue('error', fingerprint))?.count).to.equal(10_000);
      expect(await store.connection.collection('tripwire_events').countDocuments({ fingerprint })).to.equal(10_000);
      await d.close(30_000);
      expect(notifier.received.map((r) => [r.alert?.reason, r.alert?.suppressed])).to.deep.equal([['new', 0], ['digest', 9_999]]);
      expect(d.stats).to.include({ stored: 10_000, outboxed: 0, dropped: 0, alerts: 1, digests: 1 });
    });

    it('two instances over one database send one "new" alert between them', async () => {
      const notifiers = [new RecordingNotifier('a'), new RecordingNotifier('b')];
      const instances = notifiers.map((notifier) => delivery({
        store: new MongoStore({ uri, logger: silentLogger }), notifiers: [notifier], batchSize: 5,
      }));
      const fingerprint = `shared-${Date.now()}`;
      for (let i = 0; i < 20; i++) instances[i % 2].accept(makeReport({ fingerprint }));
      await Promise.all(instances.map((d) => d.flush()));
      const announced = notifiers.flatMap((n) => n.received).filter((r) => r.alert?.reason !== 'digest');
      expect(announced.map((r) => r.alert?.reason)).to.deep.equal(['new']);
      expect(instances.reduce((sum, d) => sum + d.stats.stored, 0)).to.equal(20);

      // Closing sends what was held back; between them, every occurrence is accounted for.
      await Promise.all(instances.map((d) => d.close(5000)));
      const all = notifiers.flatMap((n) => n.received);
      const accounted = all.reduce((sum, r) => sum + (r.alert?.reason === 'digest' ? 0 : 1) + (r.alert?.suppressed ?? 0), 0);
      expect(accounted).to.equal(20);
    });
  });
});
