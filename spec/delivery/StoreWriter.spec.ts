import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StoreWriter } from '../../lib/delivery/StoreWriter';
import { DeadLetter } from '../../lib/delivery/DeadLetter';
import { PermanentStoreError, type SavePolicy } from '../../lib/contracts/store';
import { zeroCounters } from '../../lib/delivery/stats';
import type { Report } from '../../lib/report/Report';
import { FakeClock } from '../support/fakeClock';
import { SpecStore } from '../support/specStore';
import { makeReport } from '../support/reports';
import { recordingLogger } from '../support/recordingLogger';

/** A spec store that also records the policy of every save. */
class PolicyStore extends SpecStore {
  readonly policies: Array<SavePolicy | undefined> = [];
  override save(reports: Report[], policy?: SavePolicy) {
    this.policies.push(policy);
    return super.save(reports);
  }
}

// How the MongoDB driver's BSON serialiser refuses a key with NUL: the store's to translate, not delivery's.
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
    const w = new StoreWriter({
      name: 'spec', store, saveTimeoutMs: 1000, clock, logger, counters, deadLetter,
      maxNewGroupsPerHour: { error: 500, 'broken-link': 20 }, maxClockSkewMs: 60_000,
    });
    const deadLines = () => {
      const folder = path.join(dir, 'dead');
      if (!fs.existsSync(folder)) return [];
      return fs.readdirSync(folder).flatMap((file) => fs.readFileSync(path.join(folder, file), 'utf8').trim().split('\n'))
        .map((line) => JSON.parse(line) as { id: string; reason: string; at: string; report: Report });
    };
    return { w, logger, counters, deadLines, dir, clock };
  }

  it('saves a batch in one call when the store takes it', async () => {
    const store = new SpecStore();
    const { w, counters } = writer(store);
    const reports = Array.from({ length: 4 }, () => makeReport({ fingerprint: 'fine' }));
    const written = await w.write(reports);
    expect(store.attempts).to.have.length(1);
    expect(written.stored).to.deep.equal(reports);
    expect(written.outcomes.map((o) => o.added)).to.deep.equal([4]);
    expect(counters).to.include({ deadLettered: 0 });
  });

  it('sends the save policy with every save: the per-kind new-group budget, the clock skew and the clock\'s now', async () => {
    const store = new PolicyStore();
    const { w, clock } = writer(store);
    clock.advance(5_000);
    await w.write([makeReport()]);
    expect(store.policies).to.deep.equal([{ maxNewGroupsPerHour: { error: 500, 'broken-link': 20 }, now: new Date(clock.now()), maxClockSkewMs: 60_000 }]);
  });

  it('rejects on a transient failure, so the caller parks the batch', async () => {
    const store = new SpecStore();
    store.down = true;
    const { w } = writer(store);
    let failure: unknown;
    await w.write([makeReport()]).catch((err: unknown) => { failure = err; });
    expect(String(failure)).to.match(/spec store is down/);
  });

  it('takes a driver error that is not a PermanentStoreError as transient: delivery does not read database errors', async () => {
    const store = new SpecStore({ refuse: (r) => (r.fingerprint === 'nul' ? bsonError('a\u0000b') : null) });
    const { w, counters, deadLines } = writer(store);
    let failure: unknown;
    await w.write([makeReport(), makeReport({ fingerprint: 'nul' })]).catch((err: unknown) => { failure = err; });
    expect(String(failure)).to.match(/null bytes/);
    expect(store.attempts).to.have.length(1);
    expect(counters).to.include({ deadLettered: 0 });
    expect(deadLines()).to.deep.equal([]);
  });

  it('isolates a report refused for good (PermanentStoreError), saves the others, and dead-letters it: one NDJSON line with its id and why, logged once, counted', async () => {
    const store = new SpecStore({ refuse: (r) => (r.fingerprint === 'never' ? new PermanentStoreError('validation failed: fingerprint "never" is not allowed') : null) });
    const { w, counters, logger, deadLines } = writer(store);
    const reports = Array.from({ length: 16 }, (_, i) => makeReport({ fingerprint: `ok-${i % 2}` }));
    const doomed = makeReport({ fingerprint: 'never' });
    reports.splice(11, 0, doomed);
    const written = await w.write(reports);
    expect(written.stored.map((r) => r.id).sort()).to.deep.equal(reports.filter((r) => r !== doomed).map((r) => r.id).sort());
    // Bisection: the good halves are saved whole; the refused one costs a handful of saves, not one per report.
    expect(store.attempts.length).to.be.at.most(2 * Math.ceil(Math.log2(17)) + 2);
    expect(counters).to.include({ deadLettered: 1 });
    const lines = deadLines();
    expect(lines.map((l) => l.id)).to.deep.equal([doomed.id]);
    expect(lines[0].reason).to.match(/refused by the store: validation failed.*not allowed/);
    expect(lines[0].report.fingerprint).to.equal('never');
    expect(logger.lines.filter((l) => l.fields?.reportId === doomed.id).map((l) => l.message)).to.deep.equal(['report the store refused for good was dead-lettered']);
  });

  it('treats a transient failure during isolation as transient: the batch is parked, nothing dead-lettered', async () => {
    let calls = 0;
    const store = new SpecStore({ refuse: (r) => (++calls > 1 ? new Error('connection reset') : r.fingerprint === 'bad' ? new PermanentStoreError('bad document') : null) });
    const { w, counters } = writer(store);
    let failure: unknown;
    await w.write([makeReport({ fingerprint: 'bad' }), makeReport()]).catch((err: unknown) => { failure = err; });
    expect(String(failure)).to.match(/connection reset/);
    expect(counters).to.include({ deadLettered: 0 });
  });
});
