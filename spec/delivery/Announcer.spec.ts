import { expect } from 'chai';
import { Announcer } from '../../lib/delivery/Announcer';
import { PendingWork } from '../../lib/delivery/PendingWork';
import { zeroCounters } from '../../lib/delivery/stats';
import { MemoryLedger } from '../../lib/delivery/MemoryLedger';
import { silentLogger } from '../../lib/core/logger';
import { ConsoleNotifier } from '../../lib/notifiers/console/ConsoleNotifier';
import type { AlertLedger, GroupOutcome, Store } from '../../lib/contracts/store';
import type { Notifier } from '../../lib/contracts/notifier';
import type { Report } from '../../lib/report/Report';
import { randomBrokenLinks } from '../support/alertFlood';
import { FakeClock } from '../support/fakeClock';
import { RecordingNotifier } from '../support/recordingNotifier';
import { recordingLogger } from '../support/recordingLogger';
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
  function announcer(notifiers: Notifier[], ledger: AlertLedger, clock = new FakeClock(), extra: Partial<ConstructorParameters<typeof Announcer>[0]> = {}) {
    const store: Store = { save: async () => [], alertLedger: () => ledger };
    const counters = zeroCounters();
    const pending = new PendingWork();
    const a = new Announcer({ name: 'spec', store, notifiers, windowMs: { error: 60_000, 'broken-link': 60_000 }, notifyTimeoutMs: 1000, logger: silentLogger, clock, counters, pending, ...extra });
    return { a, counters, pending, clock };
  }

  /** A store of the spec's own that records what it saved and answers the outcomes it is told to. */
  function recordingStore(ledger: AlertLedger) {
    const saved: Report[] = [];
    let next: Partial<GroupOutcome> = {};
    const store = {
      saved,
      answerNext(outcome: Partial<GroupOutcome>) { next = outcome; },
      async save(reports: Report[]): Promise<GroupOutcome[]> {
        saved.push(...reports);
        return reports.map((r) => ({ kind: r.kind, fingerprint: r.fingerprint, added: 1, count: saved.length, isNew: false, regressed: false, ...next }));
      },
      alertLedger: () => ledger,
    };
    return store;
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

  it('at the deadline, logs what a notifier still held as cancelled before close() resolves', async () => {
    const logger = recordingLogger();
    const hanging = new RecordingNotifier('hanging', 'hang');
    const { a, pending, clock } = announcer([hanging], countingLedger(), new FakeClock(), { logger, notifyTimeoutMs: 10_000 });
    await a.announceStored([outcome('sending'), outcome('waiting')], [makeReport({ fingerprint: 'sending' }), makeReport({ fingerprint: 'waiting' })]);
    expect(hanging.received.map((r) => r.fingerprint)).to.deep.equal(['sending']);
    const deadline = clock.now() + 500;
    // What was logged when close() resolved: a process may exit right then.
    let loggedByThen = '';
    const closing = a.close(() => Math.max(0, deadline - clock.now())).then(() => { loggedByThen = logger.dump(); });
    await clock.advance(500);
    await closing;
    expect(loggedByThen).to.match(/hanging notifier closed; alert in progress cancelled/);
    expect(loggedByThen).to.match(/hanging notifier closed; waiting alerts cancelled.*"cancelled":1/);
    hanging.unblock();
    await pending.settled();
  });

  describe('what the alert says, and when it says nothing', () => {
    it('says "Snooze ended (10 more occurrences)" and "Snooze ended (after 1 hour)", never "Again, first time…" after a snooze', async () => {
      const logger = recordingLogger();
      const clock = new FakeClock();
      const ledger = new MemoryLedger({ clock });
      const { a, pending } = announcer([new ConsoleNotifier({ logger })], ledger, clock, { windowMs: { error: 600_000, 'broken-link': 600_000 } });
      const report = makeReport({ fingerprint: 'snoozy', title: 'TypeError: snoozy' });
      await a.announceStored([outcome('snoozy')], [report]);
      // A minute after the last alert, the snooze "for 10 more occurrences" ends...
      await clock.advance(60_000);
      await a.announceStored([outcome('snoozy', { isNew: false, count: 12, status: 'open', snoozeEnded: { after: 'count', occurrences: 10 } })], [report]);
      // ...and a later snooze "for 1 hour" ends after the window has passed.
      await clock.advance(2 * 3_600_000);
      await a.announceStored([outcome('snoozy', { isNew: false, count: 13, status: 'open', snoozeEnded: { after: 'time', ms: 3_600_000 } })], [report]);
      await pending.settled();
      const said = logger.lines.map((line) => line.message);
      expect(said).to.deep.equal([
        'Error: TypeError: snoozy (New issue, seen once)',
        'Error: TypeError: snoozy (Snooze ended (10 more occurrences), seen 12 times)',
        'Error: TypeError: snoozy (Snooze ended (after 1 hour), seen 13 times)',
      ]);
    });

    it('announces the overflow group "New issues over the hourly limit" once, saying why', async () => {
      const notifier = new RecordingNotifier();
      const logger = recordingLogger();
      const clock = new FakeClock();
      const { a, pending } = announcer([notifier, new ConsoleNotifier({ logger })], new MemoryLedger({ clock }), clock);
      const overflowReport = () => makeReport({ fingerprint: 'overflow:error', title: 'New issues over the hourly limit' });
      await a.announceStored([outcome('overflow:error', { overflowed: true })], [overflowReport()]);
      for (let i = 0; i < 5; i++) await a.announceStored([outcome('overflow:error', { overflowed: true, isNew: false, count: i + 2 })], [overflowReport()]);
      await pending.settled();
      expect(notifier.reasons()).to.deep.equal(['overflow']);
      expect(logger.lines.map((l) => l.message)).to.deep.equal(['Error: New issues over the hourly limit (Over the hourly limit of new issues: further new issues are counted here, seen once)']);
    });

    it('stores an occurrence from an old release, or of a resolved issue that did not regress, and announces neither', async () => {
      const notifier = new RecordingNotifier();
      const ledger = countingLedger();
      const store = recordingStore(ledger);
      const { a, pending, counters } = announcer([notifier], ledger);
      for (const answer of [{ status: 'resolved', oldRelease: true }, { status: 'resolved' }, { status: 'resolved', regressed: true }] as const) {
        store.answerNext(answer);
        const report = makeReport({ fingerprint: 'fixed', release: '1.4.1' });
        await a.announceStored(await store.save([report]), [report]);
      }
      await pending.settled();
      expect(store.saved, 'all three stored').to.have.length(3);
      expect(notifier.reasons(), 'only the regression announced').to.deep.equal(['regression']);
      expect(ledger.trips, 'the silent ones never reach the ledger').to.equal(1);
      expect(counters.alerts).to.equal(1);
    });
  });

  describe('one pipeline per notifier, an app\'s plain object included', () => {
    const newLink = (report: Report) => ({ kind: report.kind, fingerprint: report.fingerprint, added: 1, count: 1, isNew: true, regressed: false });
    /** A PagerDuty-style notifier as an app writes one: nothing but notify. */
    function pager() {
      const received: Report[] = [];
      return { received, reasons: () => received.map((r) => r.alert?.reason), notify: async (report: Report) => { received.push(report); } };
    }

    it('budgets a plain object: 100 random broken links give it at most the budget plus one summary', async () => {
      const notifier = pager();
      const { a, pending, clock } = announcer([notifier], countingLedger());
      const links = randomBrokenLinks(100);
      await a.announceStored(links.map(newLink), links);
      await clock.advance(600_000);
      await pending.settled();
      expect(notifier.received).to.have.length(21);
      expect(notifier.reasons().filter((r) => r === 'summary')).to.have.length(1);
      expect(notifier.received[20].alert?.summary).to.deep.include({ kind: 'broken-link', held: 80, newIssues: 80 });
    });

    it('gives a new 500 its own alert after 30 broken links spent their budget, and takes notifierDefaults for a plain object', async () => {
      const notifier = pager();
      const { a, pending } = announcer([notifier], countingLedger(), new FakeClock(), { notifierDefaults: { maxAlertsPerWindow: 5 } });
      const links = randomBrokenLinks(30);
      await a.announceStored(links.map(newLink), links);
      const outage = makeReport({ fingerprint: 'outage', title: 'TypeError: the real outage' });
      await a.announceStored([outcome('outage')], [outage]);
      await pending.settled();
      expect(notifier.received.map((r) => r.kind)).to.deep.equal([...Array(5).fill('broken-link'), 'error']);
      expect(notifier.received.at(-1)?.title).to.equal('TypeError: the real outage');
    });

    it('takes a plain object\'s own pipelineOptions over notifierDefaults, and tells a notifier listed twice once', async () => {
      const notifier = Object.assign(pager(), { pipelineOptions: { maxAlertsPerWindow: 2 } });
      const { a, pending } = announcer([notifier, notifier], countingLedger(), new FakeClock(), { notifierDefaults: { maxAlertsPerWindow: 5 } });
      const links = randomBrokenLinks(4);
      await a.announceStored(links.map(newLink), links);
      await pending.settled();
      expect(notifier.received).to.have.length(2);
    });

    it('refuses bad pipeline settings at startup, naming the option', () => {
      expect(() => announcer([pager()], countingLedger(), new FakeClock(), { notifierDefaults: { maxAlertsPerWindow: 0 } }))
        .to.throw(RangeError, /maxAlertsPerWindow/);
    });
  });
});
