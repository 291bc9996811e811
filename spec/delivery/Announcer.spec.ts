import { expect } from 'chai';
import { Announcer } from '../../lib/delivery/Announcer';
import { PendingWork } from '../../lib/delivery/PendingWork';
import { zeroCounters } from '../../lib/delivery/stats';
import { silentLogger } from '../../lib/core/logger';
import type { AlertLedger, GroupOutcome, Notifier, Store } from '../../lib/ports';
import { FakeClock } from '../support/fakeClock';
import { RecordingNotifier } from '../support/recordingNotifier';
import { makeReport } from '../support/reports';

const outcome = (fingerprint: string, extra: Partial<GroupOutcome> = {}): GroupOutcome =>
  ({ kind: 'error', fingerprint, added: 1, count: 1, isNew: true, regressed: false, ...extra });

/** A ledger that records every trip made to it. */
function countingLedger(): AlertLedger & { trips: number } {
  const ledger = {
    trips: 0,
    async record() { ledger.trips++; return { send: true, suppressed: 0 }; },
    async claimDigest() { ledger.trips++; return { suppressed: 0, count: null }; },
  };
  return ledger;
}

describe('Announcer', () => {
  function announcer(notifiers: Notifier[], ledger: AlertLedger, clock = new FakeClock()) {
    const store: Store = { save: async () => [], alertLedger: () => ledger };
    const counters = zeroCounters();
    const pending = new PendingWork();
    const a = new Announcer({ name: 'spec', store, notifiers, windowMs: 60_000, notifyTimeoutMs: 1000, logger: silentLogger, clock, counters, pending });
    return { a, counters, pending, clock };
  }

  it('uses the alert decision the store made in the same trip as the save, instead of asking its ledger', async () => {
    const notifier = new RecordingNotifier();
    const ledger = countingLedger();
    const { a, pending } = announcer([notifier], ledger);
    const sent = makeReport({ fingerprint: 'decided-send' });
    const held = makeReport({ fingerprint: 'decided-hold' });
    await a.announceStored([
      outcome('decided-send', { alert: { send: true, suppressed: 3 }, isNew: false }),
      outcome('decided-hold', { alert: { send: false, suppressed: 0 }, isNew: false }),
    ], [sent, held]);
    await pending.settled();
    expect(ledger.trips).to.equal(0);
    expect(notifier.received.map((r) => [r.fingerprint, r.alert?.reason, r.alert?.suppressed])).to.deep.equal([['decided-send', 'window', 3]]);
  });

  it('announces nothing for ignored or snoozed groups, and the rest as usual', async () => {
    const notifier = new RecordingNotifier();
    const ledger = countingLedger();
    const { a, pending, counters } = announcer([notifier], ledger);
    await a.announceStored([outcome('muted', { status: 'ignored' }), outcome('later', { status: 'snoozed' }), outcome('open', { status: 'open' })],
      [makeReport({ fingerprint: 'muted' }), makeReport({ fingerprint: 'later' }), makeReport({ fingerprint: 'open' })]);
    await pending.settled();
    expect(notifier.received.map((r) => r.fingerprint)).to.deep.equal(['open']);
    expect(counters.alerts).to.equal(1);
  });

  it('gives each notifier call notifyTimeoutMs: a call still running then counts as failed, the others are unaffected', async () => {
    const hanging = new RecordingNotifier('hanging', 'hang');
    const good = new RecordingNotifier('good');
    const { a, pending, counters, clock } = announcer([hanging, good], countingLedger());
    await a.announceStored([outcome('slow')], [makeReport({ fingerprint: 'slow' })]);
    expect(good.received).to.have.length(1);
    await clock.advance(999);
    expect(counters.notifyFailed).to.equal(0);
    await clock.advance(1);
    await pending.settled();
    expect(counters).to.include({ alerts: 1, notifyFailed: 1 });
    hanging.unblock();
  });

  it('closes every notifier with what is left of the deadline, and stops waiting for one that hangs', async () => {
    const given: Array<number | undefined> = [];
    const polite: Notifier = { notify: async () => undefined, close: async (ms) => { given.push(ms); } };
    const stuck: Notifier = { notify: async () => undefined, close: (ms) => { given.push(ms); return new Promise(() => undefined); } };
    const { a, clock } = announcer([polite, stuck], countingLedger());
    const deadline = clock.now() + 500;
    let closed = false;
    const closing = a.close(() => Math.max(0, deadline - clock.now())).then(() => { closed = true; });
    await clock.advance(499);
    expect(closed).to.equal(false);
    await clock.advance(1);
    await closing;
    expect(given).to.deep.equal([500, 500]);
  });
});
