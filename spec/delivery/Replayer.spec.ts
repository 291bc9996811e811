import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Replayer } from '../../lib/delivery/Replayer';
import { Announcer } from '../../lib/delivery/Announcer';
import { DeadLetter } from '../../lib/delivery/DeadLetter';
import { Outage } from '../../lib/delivery/Outage';
import { Outbox } from '../../lib/delivery/Outbox';
import { PendingWork } from '../../lib/delivery/PendingWork';
import { StoreWriter } from '../../lib/delivery/StoreWriter';
import { zeroCounters } from '../../lib/delivery/stats';
import type { BackoffOptions } from '../../lib/core/backoff';
import type { Clock } from '../../lib/core/clock';
import type { Store } from '../../lib/contracts/store';
import type { Report } from '../../lib/report/Report';
import { eventually } from '../support/eventually';
import { FakeClock } from '../support/fakeClock';
import { RecordingNotifier } from '../support/recordingNotifier';
import { recordingLogger } from '../support/recordingLogger';
import { makeReport } from '../support/reports';
import { SpecStore } from '../support/specStore';

type Line = { report: Report; notified: boolean } | string;

describe('Replayer', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tripwire-replayer-'));
    dirs.push(dir);
    return dir;
  };

  /** A segment as a process leaves it: one NDJSON line per entry (a string is written as it is). */
  const leave = (dir: string, name: string, lines: Line[]) => {
    fs.writeFileSync(path.join(dir, name), lines.map((line) => `${typeof line === 'string' ? line : JSON.stringify(line)}\n`).join(''));
  };
  const segmentsIn = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith('.ndjson')).sort();
  /** `clock` as a Clock port that also records the length of every timer set through it. */
  const recordingPauses = (clock: FakeClock, pauses: number[]): Clock => ({
    now: () => clock.now(),
    setTimeout: (callback, ms) => { pauses.push(ms); return clock.setTimeout(callback, ms); },
    clearTimeout: (timer) => clock.clearTimeout(timer),
  });

  /** `replayClock`: the clock the replayer alone sees (its backoff pauses); the other parts get `clock`. */
  function rig(dir: string, { store, clock = new FakeClock(), replayClock = clock as Clock, retry = { baseMs: 100, maxMs: 1000 } as BackoffOptions }: { store: Store; clock?: FakeClock; replayClock?: Clock; retry?: BackoffOptions }) {
    const logger = recordingLogger();
    const counters = zeroCounters();
    const pending = new PendingWork();
    const notifier = new RecordingNotifier();
    const outage = new Outage(logger, 'spec');
    const outbox = new Outbox(dir, 1024 * 1024, logger);
    const announcer = new Announcer({ name: 'spec', store, notifiers: [notifier], windowMs: { error: 60_000, 'broken-link': 60_000 }, notifyTimeoutMs: 1000, logger, clock, counters, pending });
    const writer = new StoreWriter({
      name: 'spec', store, saveTimeoutMs: 60_000, clock, logger, counters, deadLetter: new DeadLetter(dir, 1024 * 1024, logger, 'spec'),
      maxNewGroupsPerHour: { error: 500, 'broken-link': 500 }, maxClockSkewMs: 60_000,
    });
    const replayer = new Replayer({ name: 'spec', outbox, writer, announcer, outage, counters, retry, logger, clock: replayClock });
    const messages = (message: string) => logger.lines.filter((l) => l.message === message);
    return { replayer, outbox, outage, counters, pending, notifier, logger, clock, messages };
  }

  it('replays segments oldest first by number, one save each, and deletes a segment only once the store took it', async () => {
    const dir = tempDir();
    const [a, b, c, d] = Array.from({ length: 4 }, () => makeReport());
    // Unpadded names, as another version might leave them: only a numeric order gets 2, 9, 10.
    leave(dir, '10.ndjson', [{ report: d, notified: false }]);
    leave(dir, '9.ndjson', [{ report: b, notified: false }, { report: c, notified: false }]);
    leave(dir, '2.ndjson', [{ report: a, notified: false }]);
    const store = new SpecStore({ gated: true });
    const { replayer, counters } = rig(dir, { store });
    replayer.start();
    await eventually(() => store.held === 1, { what: 'the first save' });
    expect(store.attempts).to.deep.equal([[a.id]]);
    expect(segmentsIn(dir), 'kept while its save is pending').to.deep.equal(['10.ndjson', '2.ndjson', '9.ndjson']);
    store.release();
    await eventually(() => store.held === 1 && store.attempts.length === 2, { what: 'the second save' });
    expect(segmentsIn(dir)).to.deep.equal(['10.ndjson', '9.ndjson']);
    store.release({ open: true });
    await eventually(() => segmentsIn(dir).length === 0, { what: 'the outbox to empty' });
    expect(store.attempts).to.deep.equal([[a.id], [b.id, c.id], [d.id]]);
    expect(counters).to.include({ stored: 4, replayed: 4, outboxed: 0 });
  });

  it('announces only what was parked unannounced, with the store\'s outcome', async () => {
    const dir = tempDir();
    leave(dir, '1.ndjson', [{ report: makeReport({ fingerprint: 'told' }), notified: true }, { report: makeReport({ fingerprint: 'untold' }), notified: false }]);
    const { replayer, notifier, counters, pending } = rig(dir, { store: new SpecStore() });
    replayer.start();
    await eventually(() => segmentsIn(dir).length === 0, { what: 'the replay' });
    await pending.settled();
    expect(notifier.received.map((r) => [r.fingerprint, r.alert?.reason, r.alert?.count])).to.deep.equal([['untold', 'new', 1]]);
    expect(counters).to.include({ replayed: 2, alerts: 1 });
  });

  it('keeps a segment the store fails to take, retrying it on the clock only after each pause (at least 1 ms, under its backoff ceiling, never over maxMs); the first success ends the outage', async () => {
    const dir = tempDir();
    const report = makeReport();
    leave(dir, '1.ndjson', [{ report, notified: false }]);
    const file = path.join(dir, '1.ndjson');
    const before = fs.readFileSync(file, 'utf8');
    const clock = new FakeClock();
    const pauses: number[] = [];
    const replayClock = recordingPauses(clock, pauses);
    const inner = new SpecStore();
    let down = true;
    let tries = 0;
    // Fails as a driver may: by throwing before it returns a promise.
    const store: Store = { save(reports) { tries++; if (down) throw new Error('connection refused'); return inner.save(reports); } };
    const retry = { baseMs: 100, maxMs: 1000 };
    const { replayer, outage, counters, messages } = rig(dir, { store, clock, replayClock, retry });
    replayer.start();
    for (let failures = 1; failures <= 6; failures++) {
      await eventually(() => pauses.length === failures, { what: `pause ${failures}` });
      expect(tries).to.equal(failures);
      expect(outage.active).to.equal(true);
      const pause = pauses[failures - 1];
      expect(pause, `pause ${failures}`).to.be.within(1, Math.min(retry.maxMs, retry.baseMs * 2 ** failures));
      expect(fs.readFileSync(file, 'utf8'), 'the segment stays as it was').to.equal(before);
      if (failures === 6) down = false;
      await clock.advance(pause - 1);
      expect(tries, 'not before the pause is over').to.equal(failures);
      await clock.advance(1);
    }
    await eventually(() => segmentsIn(dir).length === 0, { what: 'the replay after the store came back' });
    expect(inner.stored).to.deep.equal([report.id]);
    expect(outage.active).to.equal(false);
    expect(counters).to.include({ stored: 1, replayed: 1 });
    expect(messages('store unavailable; parking reports in the outbox until it answers')).to.have.length(1);
    expect(messages('store is back; replaying the outbox')).to.have.length(1);
  });

  it('draws each pause under a ceiling that doubles per failed try up to maxMs, waits 1 ms on a zero draw, and starts over after a success', async () => {
    const dir = tempDir();
    const [a, b] = [makeReport(), makeReport()];
    leave(dir, '1.ndjson', [{ report: a, notified: false }]);
    leave(dir, '2.ndjson', [{ report: b, notified: false }]);
    const clock = new FakeClock();
    const pauses: number[] = [];
    const inner = new SpecStore();
    let tries = 0;
    // Tries 1 to 4 fail (the first segment), the 5th takes it; the 6th fails (the second segment), the 7th takes it.
    const failing = new Set([1, 2, 3, 4, 6]);
    const store: Store = { save(reports) { tries++; return failing.has(tries) ? Promise.reject(new Error('timed out')) : inner.save(reports); } };
    const { replayer, messages } = rig(dir, { store, clock, replayClock: recordingPauses(clock, pauses), retry: { baseMs: 100, maxMs: 500 } });
    // The jitter's draws, in order: zero, then the top of each range.
    const draws = [0, 0.999, 0.999, 0.999, 0.999];
    const random = Math.random;
    Math.random = () => draws.shift() ?? random();
    try {
      replayer.start();
      for (let n = 1; n <= 5; n++) {
        await eventually(() => pauses.length === n, { what: `pause ${n}` });
        await clock.advance(pauses[n - 1]);
      }
      await eventually(() => segmentsIn(dir).length === 0, { what: 'both segments' });
    } finally {
      Math.random = random;
    }
    // Ceilings 200, 400, then maxMs (500) twice; after the success, 200 again.
    expect(pauses).to.deep.equal([1, 399, 499, 499, 199]);
    expect(inner.stored).to.deep.equal([a.id, b.id]);
    expect(messages('store unavailable; parking reports in the outbox until it answers'), 'once per outage, not per try').to.have.length(2);
  });

  it('stop() cuts a backoff pause short: no further save, no timer left, and the segment stays for the next process', async () => {
    const dir = tempDir();
    const report = makeReport();
    leave(dir, '1.ndjson', [{ report, notified: false }]);
    const down = new SpecStore();
    down.down = true;
    const first = rig(dir, { store: down });
    first.replayer.start();
    await eventually(() => down.attempts.length === 1 && first.clock.pending === 1, { what: 'the first backoff pause' });
    first.replayer.stop();
    expect(first.clock.pending, 'the pause is cut short').to.equal(0);
    first.replayer.start();
    await first.clock.runAll();
    expect(down.attempts, 'nothing started after stop()').to.have.length(1);
    expect(segmentsIn(dir)).to.deep.equal(['1.ndjson']);

    const up = new SpecStore();
    const next = rig(dir, { store: up });
    next.replayer.start();
    await eventually(() => segmentsIn(dir).length === 0, { what: 'the next process to replay it' });
    expect(up.stored).to.deep.equal([report.id]);
  });

  it('skips lines that are corrupt or not outbox entries, logging each, and removes a segment with nothing usable without a save', async () => {
    const dir = tempDir();
    const good = [makeReport(), makeReport()];
    leave(dir, '1.ndjson', ['not json', '{"foo":1}', '{"report":{"id":5}}', 'null']);
    leave(dir, '2.ndjson', [{ report: good[0], notified: false }, '{"report":{"id":"cut sh', { report: good[1], notified: false }]);
    const store = new SpecStore();
    const { replayer, counters, messages } = rig(dir, { store });
    replayer.start();
    await eventually(() => segmentsIn(dir).length === 0, { what: 'the replay' });
    expect(store.attempts).to.deep.equal([good.map((r) => r.id)]);
    expect(counters).to.include({ replayed: 2 });
    const skipped = messages('outbox line is corrupt and was skipped').map((l) => [path.basename(String(l.fields?.file)), l.fields?.line]);
    expect(skipped).to.deep.equal([['1.ndjson', 1], ['1.ndjson', 2], ['1.ndjson', 3], ['1.ndjson', 4], ['2.ndjson', 2]]);
  });

  it('leaves foreign files alone, and a folder named like a segment is logged and skipped without stalling the replay', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'kept');
    fs.writeFileSync(path.join(dir, '3.ndjson.partial'), 'kept');
    fs.mkdirSync(path.join(dir, 'dead'));
    fs.writeFileSync(path.join(dir, 'dead', 'old.ndjson'), 'kept');
    fs.mkdirSync(path.join(dir, '1.ndjson'));
    fs.writeFileSync(path.join(dir, '1.ndjson', 'inside'), 'kept');
    const report = makeReport();
    leave(dir, '2.ndjson', [{ report, notified: false }]);
    const store = new SpecStore();
    const { replayer, outbox, messages } = rig(dir, { store });
    replayer.start();
    await eventually(() => outbox.empty && !fs.existsSync(path.join(dir, '2.ndjson')), { what: 'the replay' });
    expect(store.attempts).to.deep.equal([[report.id]]);
    expect(fs.readdirSync(dir).sort()).to.deep.equal(['1.ndjson', '3.ndjson.partial', 'dead', 'notes.txt']);
    expect(['1.ndjson/inside', 'dead/old.ndjson', 'notes.txt'].map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))).to.deep.equal(['kept', 'kept', 'kept']);
    expect(messages('outbox segment unreadable; skipped')).to.have.length(1);
  });

  it('runs one loop however often start() is called, and replays a segment parked meanwhile or afterwards, each once and in order', async () => {
    const dir = tempDir();
    const first = makeReport({ fingerprint: 'first' });
    leave(dir, '1.ndjson', [{ report: first, notified: false }]);
    const store = new SpecStore({ gated: true });
    const { replayer, outbox } = rig(dir, { store });
    replayer.start();
    replayer.start();
    await eventually(() => store.held === 1, { what: 'the first save' });
    const meanwhile = makeReport({ fingerprint: 'meanwhile' });
    expect(await outbox.append([{ report: meanwhile, notified: false }])).to.deep.equal({ written: 1, dropped: 0 });
    replayer.start();
    store.release({ open: true });
    await eventually(() => outbox.empty && segmentsIn(dir).length === 0, { what: 'both segments' });
    expect(store.attempts).to.deep.equal([[first.id], [meanwhile.id]]);

    const afterwards = makeReport({ fingerprint: 'afterwards' });
    await outbox.append([{ report: afterwards, notified: false }]);
    replayer.start();
    await eventually(() => store.attempts.length === 3 && segmentsIn(dir).length === 0, { what: 'the later segment' });
    expect(store.attempts.at(-1)).to.deep.equal([afterwards.id]);
  });
});
