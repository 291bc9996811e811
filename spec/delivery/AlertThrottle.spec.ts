import { expect } from 'chai';
import { AlertThrottle } from '../../lib/delivery/AlertThrottle';
import { MemoryLedger } from '../../lib/delivery/MemoryLedger';
import { silentLogger } from '../../lib/core/logger';
import type { Report } from '../../lib/report/Report';
import type { AlertLedger, GroupOutcome } from '../../lib/ports';
import { makeReport } from '../support/reports';
import { FakeClock } from '../support/fakeClock';

const outcome = (fingerprint: string, added: number, extra: Partial<GroupOutcome> = {}): GroupOutcome =>
  ({ kind: 'error', fingerprint, added, count: null, isNew: false, regressed: false, ...extra });

describe('AlertThrottle', () => {
  let sent: Report[];
  let throttles: AlertThrottle[];
  let clock: FakeClock;

  function throttle(windowMs: number, fallback = new MemoryLedger({ clock })): AlertThrottle {
    const created = new AlertThrottle({ windowMs, maxGroups: 10, logger: silentLogger, fallback, send: (r) => sent.push(r), clock });
    throttles.push(created);
    return created;
  }

  beforeEach(() => {
    sent = [];
    throttles = [];
    clock = new FakeClock();
  });

  afterEach(() => throttles.forEach((t) => t.stop()));

  it('sends one alert with the latest report of the group, then one digest at the window end', async () => {
    const ledger = new MemoryLedger();
    const t = throttle(200);
    const first = makeReport({ fingerprint: 'g', title: 'first' });
    const latest = makeReport({ fingerprint: 'g', title: 'latest' });
    await t.announce([outcome('g', 2, { isNew: true, count: 2 })], [first, latest], () => ledger);
    await t.announce([outcome('g', 3, { count: 5 })], [makeReport({ fingerprint: 'g', title: 'later' })], () => ledger);
    expect(sent.map((r) => [r.title, r.alert])).to.deep.equal([['latest', { reason: 'new', suppressed: 0, windowMs: 200, count: 2 }]]);
    await clock.advance(199);
    expect(sent, 'nothing before the window ends').to.have.length(1);
    await clock.advance(200);
    expect(sent).to.have.length(2);
    expect(sent[1].title).to.equal('later');
    expect(sent[1].alert).to.deep.equal({ reason: 'digest', suppressed: 4, windowMs: 200, count: 5 });
  });

  it('names regressions and says nothing about a replay that stored nothing new', async () => {
    const ledger = new MemoryLedger();
    const t = throttle(60_000);
    await t.announce([outcome('r', 1, { regressed: true })], [makeReport({ fingerprint: 'r' })], () => ledger);
    await t.announce([outcome('r', 0)], [makeReport({ fingerprint: 'r' })], () => ledger);
    expect(sent.map((r) => r.alert?.reason)).to.deep.equal(['regression']);
  });

  // Ignored and snoozed groups never reach the throttle: the Announcer leaves them out (Announcer.spec).
  it('takes the verdict a store made on the save instead of asking the ledger', async () => {
    const asked: string[] = [];
    const ledger: AlertLedger = {
      record: async (claim) => { asked.push(claim.fingerprint); return { send: true, suppressed: 0 }; },
      claimDigest: async () => ({ suppressed: 0, count: null }),
    };
    const t = throttle(60_000);
    await t.announce([
      outcome('decided', 1, { isNew: true, alert: { send: true, suppressed: 3 } }),
      outcome('open', 1, { status: 'open' }),
    ], ['decided', 'open'].map((fingerprint) => makeReport({ fingerprint })), () => ledger);
    expect(asked, 'the ledger is asked only when the store did not decide').to.deep.equal(['open']);
    expect(sent.map((r) => [r.fingerprint, r.alert?.suppressed])).to.deep.equal([['decided', 3], ['open', 0]]);
  });

  it('sends held-back counts at once on flushDigests', async () => {
    const ledger = new MemoryLedger();
    const t = throttle(60_000);
    await t.announce([outcome('f', 1, { isNew: true })], [makeReport({ fingerprint: 'f' })], () => ledger);
    await t.announce([outcome('f', 7)], [makeReport({ fingerprint: 'f' })], () => ledger);
    await t.flushDigests();
    expect(sent.map((r) => [r.alert?.reason, r.alert?.suppressed])).to.deep.equal([['new', 0], ['digest', 7]]);
  });

  it('announces again after a quiet window, carrying what was held back, by the clock it was given', async () => {
    const ledger = new MemoryLedger();
    const t = throttle(1000);
    await t.announce([outcome('q', 1, { isNew: true })], [makeReport({ fingerprint: 'q' })], () => ledger);
    await t.announce([outcome('q', 1)], [makeReport({ fingerprint: 'q' })], () => ledger);
    await clock.advance(500);
    await t.announce([outcome('q', 1)], [makeReport({ fingerprint: 'q' })], () => ledger);
    expect(sent.map((r) => r.alert?.reason)).to.deep.equal(['new']);
    await clock.advance(600);
    expect(sent.map((r) => [r.alert?.reason, r.alert?.suppressed])).to.deep.equal([['new', 0], ['digest', 2]]);
    await clock.advance(5000);
    await t.announce([outcome('q', 1)], [makeReport({ fingerprint: 'q' })], () => ledger);
    expect(sent.map((r) => r.alert?.reason)).to.deep.equal(['new', 'digest', 'window']);
  });

  it('falls back to memory when the shared ledger fails', async () => {
    const broken: AlertLedger = {
      record: async () => { throw new Error('ledger down'); },
      claimDigest: async () => { throw new Error('ledger down'); },
    };
    const t = throttle(60_000);
    await t.announce([outcome('b', 1, { isNew: true })], [makeReport({ fingerprint: 'b' })], () => broken);
    expect(sent.map((r) => r.alert?.reason)).to.deep.equal(['new']);
  });
});
