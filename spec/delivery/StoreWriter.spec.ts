import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StoreWriter } from '../../lib/delivery/StoreWriter';
import { DeadLetter } from '../../lib/delivery/DeadLetter';
import { PermanentStoreError } from '../../lib/ports';
import { zeroCounters } from '../../lib/delivery/stats';
import type { Report } from '../../lib/report/Report';
import { FakeClock } from '../support/fakeClock';
import { SpecStore } from '../support/specStore';
import { makeReport } from '../support/reports';
import { recordingLogger } from '../support/recordingLogger';

/** Whether any key of `value`, at any depth, contains `text`. */
function hasKeyWith(value: unknown, text: string): boolean {
  if (Array.isArray(value)) return value.some((item) => hasKeyWith(item, text));
  if (!value || typeof value !== 'object') return false;
  return Object.entries(value).some(([key, item]) => key.includes(text) || hasKeyWith(item, text));
}

// How the MongoDB driver's BSON serialiser refuses a key with NUL.
const bsonError = (key: string) => Object.assign(new Error(`key ${key} must not contain null bytes`), { name: 'BSONError' });

describe('StoreWriter', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  function writer(store: SpecStore) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tripwire-writer-'));
    dirs.push(dir);
    const logger = recordingLogger();
    const counters = zeroCounters();
    const clock = new FakeClock();
    const deadLetter = new DeadLetter(dir, 1024 * 1024, logger, 'spec');
    const w = new StoreWriter({ name: 'spec', store, saveTimeoutMs: 1000, clock, logger, counters, deadLetter });
    const deadLines = () => {
      const folder = path.join(dir, 'dead');
      if (!fs.existsSync(folder)) return [];
      return fs.readdirSync(folder).flatMap((file) => fs.readFileSync(path.join(folder, file), 'utf8').trim().split('\n'))
        .map((line) => JSON.parse(line) as { id: string; reason: string; at: string; report: Report });
    };
    return { w, logger, counters, deadLines, dir };
  }

  it('saves a batch in one call when the store takes it', async () => {
    const store = new SpecStore();
    const { w, counters } = writer(store);
    const reports = Array.from({ length: 4 }, () => makeReport({ fingerprint: 'fine' }));
    const written = await w.write(reports);
    expect(store.attempts).to.have.length(1);
    expect(written.stored).to.deep.equal(reports);
    expect(written.outcomes.map((o) => o.added)).to.deep.equal([4]);
    expect(counters).to.include({ repaired: 0, deadLettered: 0 });
  });

  it('rejects on a transient failure, so the caller parks the batch', async () => {
    const store = new SpecStore();
    store.down = true;
    const { w } = writer(store);
    let failure: unknown;
    await w.write([makeReport()]).catch((err: unknown) => { failure = err; });
    expect(String(failure)).to.match(/spec store is down/);
  });

  it('isolates a report whose key the driver refuses, saves the others, and stores it with the key escaped', async () => {
    const store = new SpecStore({ refuse: (r) => (hasKeyWith(r, '\u0000') ? bsonError('a\u0000b') : null) });
    const { w, counters, logger, deadLines } = writer(store);
    const reports = Array.from({ length: 16 }, (_, i) => makeReport({ fingerprint: `nul-${i % 2}` }));
    const poison = reports[11];
    (poison.request as { query: Record<string, unknown> }).query = { 'a\u0000b': '1', nested: { '$where.x': [{ 'c\u0000': 2 }] } };
    const written = await w.write(reports);

    expect(new Set(store.stored)).to.have.property('size', 16);
    expect(written.stored.map((r) => r.id).sort()).to.deep.equal(reports.map((r) => r.id).sort());
    const repaired = written.stored.find((r) => r.id === poison.id) as Report;
    expect(repaired.request?.query).to.deep.equal({ 'a\u2400b': '1', nested: { '\uFF04where\uFF0Ex': [{ 'c\u2400': 2 }] } });
    expect(counters).to.include({ repaired: 1, deadLettered: 0 });
    // Bisection: the good halves are saved whole; the poison costs a handful of saves, not one per report.
    expect(store.attempts.length).to.be.at.most(2 * Math.ceil(Math.log2(16)) + 2);
    expect(logger.lines.filter((l) => /stored it repaired/.test(l.message)).map((l) => l.fields?.reportId)).to.deep.equal([poison.id]);
    expect(deadLines()).to.deep.equal([]);
  });

  it('shrinks a report too large to store, marking what was cut', async () => {
    const MAX = 256 * 1024;
    const store = new SpecStore({ refuse: (r) => (JSON.stringify(r).length > MAX ? new PermanentStoreError('document larger than the maximum size') : null) });
    const { w, counters } = writer(store);
    const bulky = makeReport({ fingerprint: 'bulky' });
    (bulky.error as { extra: Record<string, unknown> }).extra = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`p${i}`, Array.from({ length: 100 }, () => 'x'.repeat(8192))]));
    const written = await w.write([makeReport({ fingerprint: 'small' }), bulky]);
    expect(written.stored).to.have.length(2);
    const stored = written.stored.find((r) => r.id === bulky.id) as Report;
    expect(JSON.stringify(stored).length).to.be.below(MAX);
    expect(stored.title).to.equal(bulky.title);
    expect(stored.fingerprint).to.equal('bulky');
    expect(String(stored.error?.extra.tripwireRepaired)).to.match(/error\.extra removed/);
    expect(counters).to.include({ repaired: 1, deadLettered: 0 });
  });

  it('dead-letters a report still refused once repaired: one NDJSON line with its id and why, logged once, counted', async () => {
    const store = new SpecStore({ refuse: (r) => (r.fingerprint === 'never' ? new PermanentStoreError('validation failed: fingerprint "never" is not allowed') : null) });
    const { w, counters, logger, deadLines } = writer(store);
    const doomed = makeReport({ fingerprint: 'never' });
    const others = [makeReport({ fingerprint: 'ok' }), makeReport({ fingerprint: 'ok' })];
    const written = await w.write([others[0], doomed, others[1]]);
    expect(written.stored.map((r) => r.id).sort()).to.deep.equal(others.map((r) => r.id).sort());
    expect(counters).to.include({ repaired: 0, deadLettered: 1 });
    const lines = deadLines();
    expect(lines.map((l) => l.id)).to.deep.equal([doomed.id]);
    expect(lines[0].reason).to.match(/not allowed/).and.to.match(/refused again once repaired/);
    expect(lines[0].report.fingerprint).to.equal('never');
    expect(logger.lines.filter((l) => l.fields?.reportId === doomed.id).map((l) => l.message)).to.deep.equal(['report no store can take was dead-lettered']);
  });

  it('treats a transient failure during isolation as transient: the batch is parked, nothing dead-lettered', async () => {
    let calls = 0;
    const store = new SpecStore({ refuse: (r) => (++calls > 1 ? new Error('connection reset') : r.fingerprint === 'bad' ? new PermanentStoreError('bad document') : null) });
    const { w, counters } = writer(store);
    let failure: unknown;
    await w.write([makeReport({ fingerprint: 'bad' }), makeReport()]).catch((err: unknown) => { failure = err; });
    expect(String(failure)).to.match(/connection reset/);
    expect(counters).to.include({ deadLettered: 0, repaired: 0 });
  });
});
