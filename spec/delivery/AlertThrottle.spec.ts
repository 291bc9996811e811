import { expect } from 'chai';
import { AlertThrottle, isAnnounced } from '../../lib/delivery/AlertThrottle';
import { MemoryLedger } from '../../lib/delivery/MemoryLedger';
import { silentLogger } from '../../lib/core/logger';
import type { Report } from '../../lib/report/Report';
import type { AlertLedger, GroupOutcome } from '../../lib/contracts/store';
import { makeReport } from '../support/reports';
import { FakeClock } from '../support/fakeClock';

const outcome = (fingerprint: string, added: number, extra: Partial<GroupOutcome> = {}): GroupOutcome =>
  ({ kind: 'error', fingerprint, added, count: null, isNew: false, regressed: false, ...extra });

describe('AlertThrottle', () => {
  let sent: Report[];
  let throttles: AlertThrottle[];
  let clock: FakeClock;

  function throttle(windowMs: number, fallback = new MemoryLedger({ clock }), linkWindowMs = windowMs): AlertThrottle {
    const created = new AlertThrottle({ windowMs: { error: windowMs, 'broken-link': linkWindowMs }, maxGroups: 10, logger: silentLogger, fallback, send: (r) => sent.push(r), clock });
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

  it('keeps each kind in its own window: a broken link held for its day while an error\'s window has long passed', async () => {
    const ledger = new MemoryLedger({ clock });
    const t = throttle(1000, undefined, 50_000);
    const link = (fp: string) => makeReport({ kind: 'broken-link', fingerprint: fp });
    await t.announce([outcome('e', 1, { isNew: true })], [makeReport({ fingerprint: 'e' })], () => ledger);
    await t.announce([outcome('l', 1, { kind: 'broken-link', isNew: true })], [link('l')], () => ledger);
    await clock.advance(2000);
    await t.announce([outcome('e', 1)], [makeReport({ fingerprint: 'e' })], () => ledger);
    await t.announce([outcome('l', 1, { kind: 'broken-link' })], [link('l')], () => ledger);
    expect(sent.map((r) => [r.kind, r.alert?.reason, r.alert?.windowMs])).to.deep.equal([
      ['error', 'new', 1000], ['broken-link', 'new', 50_000], ['error', 'window', 1000],
    ]);
    await clock.advance(51_000);
    expect(sent.filter((r) => r.kind === 'broken-link').map((r) => [r.alert?.reason, r.alert?.windowMs])).to.deep.equal([['new', 50_000], ['digest', 50_000]]);
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

  describe('why an alert is sent, and when none is', () => {
    it('announces a snooze\'s end whatever the window says, as snooze-ended with what ended it, never as a repeat', async () => {
      const ledger = new MemoryLedger({ clock });
      const t = throttle(600_000);
      await t.announce([outcome('s', 1, { isNew: true, count: 1 })], [makeReport({ fingerprint: 's' })], () => ledger);
      // A minute later, inside the window, the snooze "for 10 more occurrences" ends.
      await clock.advance(60_000);
      const ended = { after: 'count', occurrences: 10 } as const;
      await t.announce([outcome('s', 1, { count: 12, status: 'open', snoozeEnded: ended })], [makeReport({ fingerprint: 's' })], () => ledger);
      expect(sent.map((r) => r.alert)).to.deep.equal([
        { reason: 'new', suppressed: 0, windowMs: 600_000, count: 1 },
        { reason: 'snooze-ended', suppressed: 0, windowMs: 600_000, count: 12, snoozeEnded: ended },
      ]);
    });

    it('announces the first report of an overflow group once, as overflow; later ones are counted in the window', async () => {
      const ledger = new MemoryLedger({ clock });
      const t = throttle(600_000);
      await t.announce([outcome('overflow:error', 1, { isNew: true, overflowed: true, count: 1 })], [makeReport({ fingerprint: 'overflow:error' })], () => ledger);
      await t.announce([outcome('overflow:error', 5, { overflowed: true, count: 6 })], [makeReport({ fingerprint: 'overflow:error' })], () => ledger);
      expect(sent.map((r) => r.alert?.reason)).to.deep.equal(['overflow']);
    });

    it('never announces an occurrence from an old release, a resolved group that did not regress, or an ignored or snoozed one', async () => {
      const ledger = new MemoryLedger({ clock });
      const t = throttle(600_000);
      const silent = [
        outcome('old', 1, { status: 'resolved', oldRelease: true }),
        outcome('old-open', 1, { isNew: true, oldRelease: true }),
        outcome('resolved', 1, { status: 'resolved' }),
        outcome('ignored', 1, { isNew: true, status: 'ignored' }),
        outcome('snoozed', 1, { status: 'snoozed' }),
      ];
      const regressed = outcome('back', 1, { status: 'open', regressed: true });
      await t.announce([...silent, regressed], [...silent, regressed].map((o) => makeReport({ fingerprint: o.fingerprint })), () => ledger);
      expect(sent.map((r) => [r.fingerprint, r.alert?.reason])).to.deep.equal([['back', 'regression']]);
      expect(silent.map(isAnnounced)).to.deep.equal([false, false, false, false, false]);
      expect(clock.pending, 'no digest scheduled for a silent group').to.equal(0);
    });
  });
});
