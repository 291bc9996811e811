// The Notifier contract: what delivery relies on from every notifier, ours or an app's.
// A new notifier passes it or it is not done (see notifierContract.spec.ts for the four
// it runs against). Time is a FakeClock the subject's notifier must use.
import { expect } from 'chai';
import type { Notifier } from '../../lib/ports';
import type { NotifierFilterOptions } from '../../lib/notifiers/notifierFilter';
import type { Report } from '../../lib/report/Report';
import { newIssues } from '../support/alertFlood';
import { eventually } from '../support/eventually';
import { FakeClock } from '../support/fakeClock';
import { sampleBrokenLinkReport, sampleErrorReport } from '../support/reports';

export interface ContractSetup {
  clock: FakeClock;
  filter?: NotifierFilterOptions;
  /** Budget options, for notifiers that keep one. */
  maxAlertsPerWindow?: number;
  budgetWindowMs?: number;
  /** The sink never answers (a Slack or a mail server that hangs). */
  hanging?: boolean;
}

export interface ContractSubject {
  notifier: Notifier;
  /** Messages that reached the sink (Slack requests answered, mails accepted, log lines). */
  delivered(): number;
  /** Attempts the sink has seen, answered or not. */
  attempts(): number;
  /** Stops the sink (servers); the notifier is closed by the contract. */
  cleanup(): Promise<void>;
}

export interface ContractCapabilities {
  /** The sink can be made to hang (`hanging`): the close deadline is then tested against it. */
  hangs: boolean;
  /** The notifier takes `maxAlertsPerWindow` and `budgetWindowMs`. */
  budget: boolean;
}

/** Reports no notifier may choke on: a foreign object, throwing getters, a Proxy that throws on every read. */
function hostileReports(): Report[] {
  const throwing = sampleErrorReport();
  Object.defineProperty(throwing, 'title', { get() { throw new Error('getter that throws'); }, enumerable: true });
  const proxy = new Proxy({}, { get() { throw new Error('proxy that throws'); } }) as Report;
  return [{} as Report, { id: 'half', kind: 'error' } as Report, throwing, proxy, null as unknown as Report];
}

export function notifierContract(name: string, make: (setup: ContractSetup) => Promise<ContractSubject>, capabilities: ContractCapabilities): void {
  describe(`Notifier contract: ${name}`, () => {
    let subjects: ContractSubject[] = [];
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);

    before(() => process.on('unhandledRejection', onUnhandled));
    after(() => {
      process.off('unhandledRejection', onUnhandled);
    });
    afterEach(async () => {
      for (const subject of subjects.splice(0)) {
        await subject.notifier.close?.(0);
        await subject.cleanup();
      }
      // A rejection is reported unhandled after a turn of the event loop.
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled, 'no unhandled rejection').to.deep.equal([]);
    });

    async function subject(setup: Partial<ContractSetup> = {}): Promise<ContractSubject & { clock: FakeClock }> {
      const clock = setup.clock ?? new FakeClock();
      const made = await make({ ...setup, clock });
      subjects.push(made);
      return { ...made, clock };
    }

    it('notify resolves once the message has reached its sink', async () => {
      const { notifier, delivered } = await subject();
      await notifier.notify(sampleErrorReport());
      await notifier.notify(sampleBrokenLinkReport());
      expect(delivered()).to.equal(2);
    });

    it('accepts() applies the routing filter it was given', async () => {
      const { notifier } = await subject({ filter: { kinds: ['error'], minStatus: 500 } });
      expect(notifier.accepts, 'accepts()').to.be.a('function');
      expect(notifier.accepts!(sampleErrorReport())).to.equal(true);
      expect(notifier.accepts!(sampleBrokenLinkReport())).to.equal(false);
      expect(notifier.accepts!(sampleErrorReport({ status: 404 }))).to.equal(false);
    });

    it('settles notify for hostile reports, without an unhandled rejection', async () => {
      const { notifier, clock } = await subject();
      // Called bare: a synchronous throw breaks the contract (a promise that rejects does not).
      const outcomes = await Promise.all(hostileReports().map((report) => notifier.notify(report).then(() => 'resolved', () => 'rejected')));
      expect(outcomes).to.have.length(5);
      await clock.runAll();
      await notifier.notify(sampleErrorReport());
    });

    it('close(timeoutMs) resolves at once when nothing is pending, twice over, and a later notify settles', async () => {
      const { notifier } = await subject();
      await notifier.close?.(1000);
      await notifier.close?.(1000);
      await notifier.notify(sampleErrorReport()).catch(() => {});
    });

    if (capabilities.hangs) {
      it('close(timeoutMs) holds its deadline while the sink hangs, and settles every notify by then', async () => {
        const { notifier, clock, attempts } = await subject({ hanging: true });
        const notifies = [sampleErrorReport({ id: 'a' }), sampleErrorReport({ id: 'b' })].map((r) => notifier.notify(r).then(() => 'settled', () => 'settled'));
        await eventually(() => attempts() === 1, { what: 'the first attempt at the sink' });
        let closed = false;
        const closing = notifier.close!(1000).then(() => { closed = true; });
        await clock.advance(999);
        expect(closed, 'not before the deadline').to.equal(false);
        await clock.advance(1);
        await closing;
        expect(await Promise.all(notifies)).to.deep.equal(['settled', 'settled']);
      });
    }

    if (capabilities.budget) {
      it('honours its alert budget: maxAlertsPerWindow messages, then one summary', async () => {
        const { notifier, clock, delivered } = await subject({ maxAlertsPerWindow: 3, budgetWindowMs: 60_000 });
        await Promise.all(newIssues(10).map((report) => notifier.notify(report)));
        expect(delivered()).to.equal(3);
        await clock.advance(60_000);
        await eventually(() => delivered() === 4, { what: 'the summary' });
        await clock.advance(600_000);
        await notifier.close?.(1000);
        expect(delivered()).to.equal(4);
      });
    }
  });
}
