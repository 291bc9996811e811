// What is particular to MemoryStore: its options and its caps; what every store does is in ../storeContract.ts.
import { expect } from 'chai';
import { MemoryStore } from '../../../lib/stores/memory/MemoryStore';
import { FakeClock } from '../../support/fakeClock';
import { makeBrokenLinkReport, makeReport, sampleRequest } from '../../support/reports';

describe('MemoryStore', () => {
  let clock: FakeClock;
  beforeEach(() => { clock = new FakeClock(Date.UTC(2030, 0, 1, 12)); });
  const at = (offsetMs = 0) => new Date(clock.now() + offsetMs).toISOString();

  describe('options', () => {
    it('takes none, or the ones it declares, and refuses the rest naming the fix', () => {
      expect(() => new MemoryStore()).to.not.throw();
      expect(() => new MemoryStore({ maxIssue: 10 } as never)).to.throw(TypeError, /unknown option `maxIssue`; did you mean `maxIssues`/);
      expect(() => new MemoryStore({ maxEvents: 0 })).to.throw(RangeError, /`maxEvents` must be a positive integer/);
      expect(() => new MemoryStore({ retentionDays: -1 })).to.throw(RangeError, /retentionDays/);
      expect(() => new MemoryStore({ clock: {} as never })).to.throw(TypeError, /clock/);
      expect(() => new MemoryStore('big' as never)).to.throw(TypeError, /options must be an object/);
    });
  });

  describe('caps', () => {
    it('keeps at most maxIssues groups per kind, dropping the one seen least recently with its events', async () => {
      const store = new MemoryStore({ maxIssues: 3, clock });
      const first = makeReport({ fingerprint: 'a', timestamp: at() });
      await store.save([first]);
      for (const fingerprint of ['b', 'c']) await store.save([makeReport({ fingerprint, timestamp: at() })]);
      await store.save([makeReport({ fingerprint: 'a', timestamp: at() })]);
      await store.save([makeReport({ fingerprint: 'd', timestamp: at() }), makeBrokenLinkReport('/x', 'https://r.example/', { timestamp: at() })]);
      const listed = (await store.listIssues({ kind: 'error', status: 'all' })).issues.map((i) => i.fingerprint).sort();
      expect(listed, 'b was seen least recently').to.deep.equal(['a', 'c', 'd']);
      expect(await store.getIssue('broken-link', 'link:/x'), 'the other kind has its own cap').to.not.equal(null);
      expect(await store.getEvent(first.id), 'a was seen again: its events stay').to.not.equal(null);
      expect((await store.listEvents('b')).events).to.deep.equal([]);
    });

    it('keeps the newest maxEventsPerIssue events of an issue, and at most maxEvents and maxEventBytes in all, counts intact', async () => {
      const store = new MemoryStore({ maxEventsPerIssue: 3, maxEvents: 5, maxEventBytes: 64 * 1024, clock });
      const reports = Array.from({ length: 6 }, (_, i) => makeReport({ fingerprint: 'busy', timestamp: at(i * 1000) }));
      await store.save(reports);
      expect((await store.listEvents('busy')).events.map((e) => e.id)).to.deep.equal(reports.slice(3).reverse().map((r) => r.id));
      expect(await store.getIssue('error', 'busy')).to.include({ count: 6 });
      await store.save(['p', 'q', 'r'].map((fingerprint) => makeReport({ fingerprint, timestamp: at() })));
      const kept = (await Promise.all(['busy', 'p', 'q', 'r'].map((f) => store.listEvents(f)))).flatMap((p) => p.events);
      expect(kept).to.have.length(5);
      const big = makeReport({ fingerprint: 'big', timestamp: at(), request: sampleRequest({ body: 'x'.repeat(40 * 1024) }) });
      await store.save([big, makeReport({ fingerprint: 'big2', timestamp: at(), request: sampleRequest({ body: 'y'.repeat(40 * 1024) }) })]);
      expect(await store.getEvent(big.id), 'over maxEventBytes the oldest goes').to.equal(null);
      expect((await store.histogram('busy', { by: 'hour' })).reduce((sum, b) => sum + b.count, 0), 'histograms are counted on the group').to.equal(6);
    });
  });

  it('decides the alert of a new group, a regression and a snooze end on the save, and never announces a silenced group', async () => {
    const store = new MemoryStore({ clock });
    const ledger = store.alertLedger('error');
    const now = new Date(clock.now());
    const [created] = await store.save([makeReport({ fingerprint: 'f', timestamp: at() }), makeReport({ fingerprint: 'f', timestamp: at() })]);
    expect(created.alert).to.deep.equal({ send: true, suppressed: 0 });
    expect(await ledger.record({ kind: 'error', fingerprint: 'f', occurrences: 1, force: false, now, windowMs: 60_000 })).to.deep.equal({ send: false, suppressed: 0 });
    const later = new Date(now.getTime() + 60_000);
    expect(await ledger.claimDigest('error', 'f', later, 60_000)).to.deep.equal({ suppressed: 2, count: 2 });
    await store.setStatus('error', 'f', 'ignored');
    expect((await store.save([makeReport({ fingerprint: 'f', timestamp: at() })]))[0].alert).to.deep.equal({ send: false, suppressed: 0 });
    expect(await ledger.record({ kind: 'error', fingerprint: 'f', occurrences: 1, force: true, now: later, windowMs: 60_000 })).to.deep.equal({ send: false, suppressed: 0 });
    await store.setStatus('error', 'f', 'resolved');
    expect((await store.save([makeReport({ fingerprint: 'f', timestamp: at() })]))[0]).to.deep.include({ regressed: true, alert: { send: true, suppressed: 0 } });
  });
});
