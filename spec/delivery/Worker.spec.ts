import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from '../../lib/delivery/Worker';
import { Announcer } from '../../lib/delivery/Announcer';
import { DeadLetter } from '../../lib/delivery/DeadLetter';
import { DropLog } from '../../lib/delivery/dropLog';
import { Outage } from '../../lib/delivery/Outage';
import { Outbox } from '../../lib/delivery/Outbox';
import { PendingWork } from '../../lib/delivery/PendingWork';
import { StoreWriter } from '../../lib/delivery/StoreWriter';
import { zeroCounters } from '../../lib/delivery/stats';
import { PermanentStoreError, type GroupOutcome, type Store } from '../../lib/contracts/store';
import type { Report } from '../../lib/report/Report';
import { eventually } from '../support/eventually';
import { FakeClock } from '../support/fakeClock';
import { RecordingNotifier } from '../support/recordingNotifier';
import { recordingLogger } from '../support/recordingLogger';
import { makeReport } from '../support/reports';
import { SpecStore } from '../support/specStore';

/** A spec store that also keeps the reports as they reached it. */
class KeepingStore extends SpecStore {
  readonly saved: Report[] = [];
  override async save(reports: Report[]): Promise<GroupOutcome[]> {
    this.saved.push(...reports);
    return super.save(reports);
  }
}

interface RigOptions {
  /** Null: no store, hence no writer and no outbox, as Delivery wires it. */
  store?: Store | null;
  maxQueue?: number;
  batchSize?: number;
  prepare?: (report: Report) => Promise<Report>;
  /** Reports an earlier process left in the outbox (one segment, unannounced); [] leaves only the folder. */
  leftBehind?: Report[];
}

describe('Worker', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  function rig({ store = new SpecStore(), maxQueue = 100, batchSize = 10, prepare = async (r: Report) => r, leftBehind }: RigOptions = {}) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tripwire-worker-'));
    dirs.push(dir);
    const outboxDir = path.join(dir, 'outbox');
    if (leftBehind) fs.mkdirSync(outboxDir);
    if (leftBehind?.length) {
      fs.writeFileSync(path.join(outboxDir, '000000000001.ndjson'), leftBehind.map((report) => `${JSON.stringify({ report, notified: false })}\n`).join(''));
    }
    const logger = recordingLogger();
    // Never advanced: no save times out and no digest is due in these specs.
    const clock = new FakeClock();
    const counters = zeroCounters();
    const pending = new PendingWork();
    const notifier = new RecordingNotifier();
    const outage = new Outage(logger, 'spec');
    const announcer = new Announcer({ name: 'spec', store, notifiers: [notifier], windowMs: { error: 60_000, 'broken-link': 60_000 }, notifyTimeoutMs: 1000, logger, clock, counters, pending });
    const outbox = store ? new Outbox(outboxDir, 1024 * 1024, logger) : null;
    const writer = store ? new StoreWriter({
      name: 'spec', store, saveTimeoutMs: 1000, clock, logger, counters, deadLetter: new DeadLetter(outboxDir, 1024 * 1024, logger, 'spec'),
      maxNewGroupsPerHour: { error: 500, 'broken-link': 500 }, maxClockSkewMs: 60_000,
    }) : null;
    const replays = { asked: 0 };
    const worker = new Worker({
      name: 'spec', maxQueue, batchSize, logger, counters, pending, announcer, outage, drops: new DropLog(logger, 'spec', clock),
      writer, outbox, prepare, replay: () => { replays.asked++; },
    });
    /** What the outbox holds on disk, oldest segment first. */
    const parked = () => (fs.existsSync(outboxDir) ? fs.readdirSync(outboxDir).filter((f) => f.endsWith('.ndjson')).sort() : [])
      .flatMap((file) => fs.readFileSync(path.join(outboxDir, file), 'utf8').trim().split('\n'))
      .map((line) => JSON.parse(line) as { report: Report; notified: boolean })
      .map(({ report, notified }) => ({ id: report.id, notified }));
    /** Once the worker is idle and what it started (outbox writes, alerts) has settled. */
    const settled = () => eventually(async () => {
      await Promise.allSettled([worker.current, pending.settled()]);
      return worker.idle && pending.size === 0;
    }, { what: 'the worker to settle' });
    const dropLines = () => logger.lines.filter((l) => l.message === 'reports dropped').map((l) => l.fields);
    const outageLines = () => logger.lines.filter((l) => l.message.startsWith('store unavailable'));
    return { worker, notifier, counters, outage, outbox, outboxDir, replays, parked, settled, dropLines, outageLines };
  }

  it('saves the queue in batches of batchSize, in order, only after enqueue() has returned, and announces what was stored', async () => {
    const store = new SpecStore();
    const { worker, notifier, counters, settled, outboxDir, replays } = rig({ store, batchSize: 2 });
    const reports = Array.from({ length: 5 }, (_, i) => makeReport({ fingerprint: `batch-${i % 2}` }));
    expect(worker.idle).to.equal(true);
    reports.forEach((r) => worker.enqueue(r));
    expect(store.attempts, 'nothing saved on the caller\'s tick').to.deep.equal([]);
    expect([worker.queued, worker.idle]).to.deep.equal([5, false]);
    await settled();
    expect(store.attempts).to.deep.equal([[0, 1], [2, 3], [4]].map((batch) => batch.map((i) => reports[i].id)));
    expect(counters).to.include({ stored: 5, outboxed: 0, dropped: 0 });
    expect(notifier.received.map((r) => [r.fingerprint, r.alert?.reason])).to.deep.equal([['batch-0', 'new'], ['batch-1', 'new']]);
    await worker.stop();
    expect(fs.existsSync(outboxDir), 'with nothing undelivered, stop() writes nothing: no outbox folder').to.equal(false);
    expect(replays.asked).to.equal(0);
  });

  it('builds a queued builder only when its batch is taken; one that throws is dropped, counted and logged, its batch-mates saved', async () => {
    const store = new SpecStore();
    const { worker, counters, settled, dropLines } = rig({ store });
    const reports = [makeReport(), makeReport()];
    let builds = 0;
    worker.enqueue(() => { builds++; return reports[0]; });
    worker.enqueue(() => { builds++; throw new Error('cannot build'); });
    worker.enqueue(() => { builds++; return reports[1]; });
    expect(builds).to.equal(0);
    await settled();
    expect(builds).to.equal(3);
    expect(store.attempts).to.deep.equal([reports.map((r) => r.id)]);
    expect(counters).to.include({ stored: 2, dropped: 1 });
    expect(dropLines()).to.deep.equal([{ delivery: 'spec', dropped: 1, reason: 'the report could not be built' }]);
  });

  it('never calls the store with an empty batch: a batch of builders that all throw is only counted as dropped', async () => {
    const store = new SpecStore();
    const { worker, counters, settled } = rig({ store });
    for (let i = 0; i < 2; i++) worker.enqueue(() => { throw new Error('cannot build'); });
    await settled();
    expect(store.attempts).to.deep.equal([]);
    expect(counters).to.include({ stored: 0, dropped: 2, outboxed: 0 });
  });

  it('saves and announces what prepare() made of each report', async () => {
    const store = new KeepingStore();
    const { worker, notifier, settled } = rig({ store, prepare: async (r) => ({ ...r, title: `${r.title} [prepared]` }) });
    const report = makeReport({ title: 'TypeError: raw' });
    worker.enqueue(report);
    await settled();
    expect(store.saved.map((r) => [r.id, r.title])).to.deep.equal([[report.id, 'TypeError: raw [prepared]']]);
    expect(notifier.received.map((r) => r.title)).to.deep.equal(['TypeError: raw [prepared]']);
  });

  for (const how of ['rejects', 'throws synchronously'] as const) {
    it(`when the store ${how}: parks the batch with its alerts sent now, logs the outage once, and parks later batches behind it unsaved, in order`, async () => {
      const calls: string[][] = [];
      const store: Store = {
        save(reports) {
          calls.push(reports.map((r) => r.id));
          if (how === 'throws synchronously') throw new Error('socket closed');
          return Promise.reject(new Error('socket closed'));
        },
      };
      const { worker, notifier, counters, outage, parked, replays, settled, outageLines } = rig({ store, batchSize: 2 });
      const reports = Array.from({ length: 5 }, (_, i) => makeReport({ fingerprint: `down-${i % 2}` }));
      reports.forEach((r) => worker.enqueue(r));
      await settled();
      expect(calls, 'one save tried; the later batches wait behind the outbox').to.deep.equal([reports.slice(0, 2).map((r) => r.id)]);
      expect(parked()).to.deep.equal(reports.map((r) => ({ id: r.id, notified: true })));
      expect(counters).to.include({ outboxed: 5, stored: 0, dropped: 0 });
      expect(outage.active).to.equal(true);
      expect(outageLines()).to.have.length(1);
      expect(notifier.received.map((r) => [r.fingerprint, r.alert?.reason])).to.deep.equal([['down-0', 'new'], ['down-1', 'new']]);
      expect(replays.asked).to.be.at.least(1);
    });
  }

  it('while the outbox holds an older segment, parks a new batch behind it unannounced (its replay announces it) instead of saving it first', async () => {
    const store = new SpecStore();
    const old = makeReport({ fingerprint: 'older' });
    const { worker, notifier, outbox, outage, parked, replays, settled } = rig({ store, leftBehind: [old] });
    expect(await outbox?.ready).to.equal(true);
    const fresh = makeReport({ fingerprint: 'fresh' });
    worker.enqueue(fresh);
    await settled();
    expect(store.attempts).to.deep.equal([]);
    expect(parked()).to.deep.equal([{ id: old.id, notified: false }, { id: fresh.id, notified: false }]);
    expect(notifier.received).to.deep.equal([]);
    expect(outage.active).to.equal(false);
    expect(replays.asked).to.equal(1);
  });

  it('a report enqueued before the outbox has been read waits behind the segments it finds there, and enqueue() returns at once', async () => {
    const store = new SpecStore();
    const old = makeReport({ fingerprint: 'older' });
    const { worker, outbox, parked, replays, settled } = rig({ store, leftBehind: [old] });
    const fresh = makeReport({ fingerprint: 'fresh' });
    // The outbox is still listing its folder: the worker must not take it for empty.
    worker.enqueue(fresh);
    expect(worker.queued).to.equal(1);
    await settled();
    expect(await outbox?.ready).to.equal(true);
    expect(store.attempts, 'not saved ahead of the older segment').to.deep.equal([]);
    expect(parked()).to.deep.equal([{ id: old.id, notified: false }, { id: fresh.id, notified: false }]);
    expect(replays.asked).to.equal(1);
  });

  it('past maxQueue, spills to the outbox and asks for a replay; past as many again in one tick, drops, counts and logs; nothing else lost, nothing reordered', async () => {
    const store = new SpecStore({ gated: true });
    // An empty folder from an earlier run: the spill is asked for while the outbox is still reading it.
    const { worker, counters, parked, replays, settled, dropLines } = rig({ store, maxQueue: 2, batchSize: 2, leftBehind: [] });
    const reports = Array.from({ length: 7 }, () => makeReport());
    reports.forEach((r) => worker.enqueue(r));
    expect(worker.queued).to.equal(2);
    expect(counters.dropped, 'the spill buffer is bounded by maxQueue too').to.equal(3);
    await eventually(() => counters.outboxed === 2 && replays.asked === 1, { what: 'the spill to be written' });
    expect(parked().map((e) => e.id)).to.deep.equal(reports.slice(2, 4).map((r) => r.id));
    // The first drop is logged at once; DropLog sums the rest (spec/delivery/dropLog.spec.ts).
    expect(dropLines()).to.deep.equal([{ delivery: 'spec', dropped: 1, reason: 'outbox writes are behind' }]);
    store.release({ open: true });
    await settled();
    // The batch taken before the spill is older than it: stored, not parked behind it.
    expect(store.stored).to.deep.equal(reports.slice(0, 2).map((r) => r.id));
    expect(parked().map((e) => e.id), 'each of the first four stored or parked, once, in order').to.deep.equal(reports.slice(2, 4).map((r) => r.id));
  });

  it('without a store: announces each batch from in-memory counts, and past maxQueue drops with "queue full" (there is no outbox)', async () => {
    const { worker, notifier, counters, settled, dropLines } = rig({ store: null, maxQueue: 2 });
    for (let i = 0; i < 3; i++) worker.enqueue(makeReport({ fingerprint: 'in-memory' }));
    await settled();
    expect(counters).to.include({ stored: 0, outboxed: 0, dropped: 1 });
    expect(dropLines()).to.deep.equal([{ delivery: 'spec', dropped: 1, reason: 'queue full' }]);
    expect(notifier.received.map((r) => [r.alert?.reason, r.alert?.count])).to.deep.equal([['new', 2]]);
  });

  it('after stopAccepting(), sends later reports straight to the outbox, never to the store', async () => {
    const store = new SpecStore();
    const { worker, counters, parked, replays, settled } = rig({ store });
    worker.stopAccepting();
    const late = makeReport();
    worker.enqueue(late);
    await settled();
    expect(store.attempts).to.deep.equal([]);
    expect(parked()).to.deep.equal([{ id: late.id, notified: false }]);
    expect(counters.outboxed).to.equal(1);
    expect(replays.asked).to.equal(1);
  });

  it('stop(): parks the batch in flight, the queue and the spill buffer, each report once and in acceptance order, before it resolves; the held save failing later neither parks again nor starts an outage', async () => {
    const store = new SpecStore({ gated: true });
    const { worker, counters, parked, outage, settled, outageLines } = rig({ store, batchSize: 2 });
    const reports = Array.from({ length: 6 }, () => makeReport());
    reports.slice(0, 5).forEach((r) => worker.enqueue(r));
    await eventually(() => store.held === 1, { what: 'a save in flight' });
    // As close() does: later reports are spilled, and stop() comes before their write.
    worker.stopAccepting();
    worker.enqueue(reports[5]);
    await worker.stop();
    expect(parked(), 'oldest first: the batch in flight was taken before the queue, the spilled came last').to.deep.equal(reports.map((r) => ({ id: r.id, notified: false })));
    expect(counters.outboxed).to.equal(6);

    store.down = true;
    store.release({ open: true });
    await settled();
    expect(counters).to.include({ outboxed: 6, stored: 0 });
    expect(parked()).to.have.length(6);
    expect(outage.active).to.equal(false);
    expect(outageLines()).to.deep.equal([]);
  });

  it('stop(): parks a batch still being prepared, and does not save it once prepare() is done', async () => {
    const store = new SpecStore();
    const held: Array<() => void> = [];
    const prepare = (report: Report) => new Promise<Report>((resolve) => { held.push(() => resolve(report)); });
    const { worker, counters, parked, settled } = rig({ store, prepare });
    const report = makeReport();
    worker.enqueue(report);
    await eventually(() => held.length === 1, { what: 'prepare() to be called' });
    await worker.stop();
    expect(parked()).to.deep.equal([{ id: report.id, notified: false }]);
    held.forEach((finish) => finish());
    await settled();
    expect(store.attempts).to.deep.equal([]);
    expect(counters).to.include({ outboxed: 1, stored: 0 });
  });

  it('a report the store refuses for good is dead-lettered without an outage: its batch-mates are stored and announced, the next batch goes straight to the store', async () => {
    const store = new SpecStore({ refuse: (r) => (r.fingerprint === 'poison' ? new PermanentStoreError('document failed validation') : null) });
    const { worker, counters, outage, notifier, parked, settled } = rig({ store, batchSize: 3 });
    const batch = [makeReport({ fingerprint: 'fine' }), makeReport({ fingerprint: 'poison' }), makeReport({ fingerprint: 'fine' })];
    const next = makeReport({ fingerprint: 'next' });
    [...batch, next].forEach((r) => worker.enqueue(r));
    await settled();
    expect(store.stored).to.deep.equal([batch[0].id, batch[2].id, next.id]);
    expect(counters).to.include({ stored: 3, deadLettered: 1, outboxed: 0 });
    expect(outage.active).to.equal(false);
    expect(parked()).to.deep.equal([]);
    expect(notifier.received.map((r) => r.fingerprint)).to.deep.equal(['fine', 'next']);
  });
});
