import { expect } from 'chai';
import { MemoryLedger } from '../../lib/delivery/MemoryLedger';
import { FakeClock } from '../support/fakeClock';

const at = (ms: number) => new Date(Date.UTC(2030, 0, 1) + ms);
const claim = (ms: number, occurrences = 1, force = false) => ({ kind: 'error' as const, fingerprint: 'fp', occurrences, force, now: at(ms), windowMs: 1000 });

describe('MemoryLedger', () => {
  it('announces the first occurrence, counts the rest of the window, and digests them after it', async () => {
    const ledger = new MemoryLedger();
    expect(await ledger.record(claim(0))).to.deep.equal({ send: true, suppressed: 0 });
    expect(await ledger.record(claim(100, 3))).to.deep.equal({ send: false, suppressed: 0 });
    expect(await ledger.record(claim(999))).to.deep.equal({ send: false, suppressed: 0 });
    expect((await ledger.claimDigest('error', 'fp', at(999), 1000)).suppressed).to.equal(0);
    expect((await ledger.claimDigest('error', 'fp', at(1000), 1000)).suppressed).to.equal(4);
    expect((await ledger.claimDigest('error', 'fp', at(5000), 1000)).suppressed).to.equal(0);
  });

  it('gives a digest the count of the groups it counts itself (no store)', async () => {
    const ledger = new MemoryLedger();
    ledger.count('error', 'fp', 5);
    await ledger.record(claim(0));
    await ledger.record(claim(100, 4));
    expect(await ledger.claimDigest('error', 'fp', at(1000), 1000)).to.deep.equal({ suppressed: 4, count: 5 });
  });

  it('announces again after a quiet window, carrying what was held back', async () => {
    const ledger = new MemoryLedger();
    await ledger.record(claim(0));
    await ledger.record(claim(10, 5));
    expect(await ledger.record(claim(2000))).to.deep.equal({ send: true, suppressed: 5 });
  });

  it('announces forced claims inside a window, and holds back the extra occurrences of an announced call', async () => {
    const ledger = new MemoryLedger();
    expect(await ledger.record(claim(0, 10))).to.deep.equal({ send: true, suppressed: 0 });
    expect(await ledger.record(claim(10, 2, true))).to.deep.equal({ send: true, suppressed: 9 });
    expect((await ledger.claimDigest('error', 'fp', at(1010), 1000)).suppressed).to.equal(1);
  });

  it('keeps groups of different kinds apart', async () => {
    const ledger = new MemoryLedger();
    await ledger.record(claim(0));
    expect(await ledger.record({ ...claim(1), kind: 'broken-link' })).to.include({ send: true });
  });

  it('counts groups, new only the first time, and forgets the stalest past maxGroups', () => {
    const ledger = new MemoryLedger({ maxGroups: 2 });
    expect(ledger.count('error', 'a', 2)).to.deep.equal({ isNew: true, count: 2 });
    expect(ledger.count('error', 'a', 1)).to.deep.equal({ isNew: false, count: 3 });
    ledger.count('error', 'b', 1);
    ledger.count('error', 'a', 1);
    ledger.count('error', 'c', 1);
    expect(ledger.count('error', 'a', 1)).to.deep.equal({ isNew: false, count: 5 });
    expect(ledger.count('error', 'b', 1)).to.deep.equal({ isNew: true, count: 1 });
  });

  it('validates its options and rejects unknown ones', () => {
    expect(() => new MemoryLedger({ maxGroups: 0 })).to.throw(RangeError, /maxGroups/);
    expect(() => new MemoryLedger({ clock: {} as never })).to.throw(TypeError, /`clock`/);
    expect(() => new MemoryLedger({ maxGroup: 3 } as never)).to.throw(TypeError, /did you mean `maxGroups`/);
  });

  it('takes the time from its clock when a claim carries no valid one', async () => {
    const clock = new FakeClock(Date.UTC(2030, 0, 1));
    const ledger = new MemoryLedger({ clock });
    await ledger.record({ ...claim(0), now: new Date(NaN) });
    await ledger.record({ ...claim(0), now: new Date(NaN) });
    expect((await ledger.claimDigest('error', 'fp', new Date(NaN), 1000)).suppressed).to.equal(0);
    await clock.advance(1000);
    expect((await ledger.claimDigest('error', 'fp', new Date(NaN), 1000)).suppressed).to.equal(1);
  });
});
