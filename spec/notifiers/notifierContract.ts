// The Notifier contract: what delivery relies on from every notifier, ours or an app's,
// run through the one pipeline delivery wraps each notifier in (notifierPipeline, as the
// Announcer builds it). A new notifier passes it or it is not done (notifierContract.spec.ts
// runs it on Slack over real HTTP, email over real SMTP, the console, and a plain object).
// Time is a FakeClock the subject's notifier must use.
import { expect } from 'chai';
import type { Notifier } from '../../lib/contracts/notifier';
import type { NotifierFilterOptions } from '../../lib/notifiers/notifierFilter';
import { notifierPipeline, type NotifierPipeline } from '../../lib/notifiers/notifierPipeline';
import type { Report } from '../../lib/report/Report';
import { newIssues, randomBrokenLinks } from '../support/alertFlood';
import { eventually } from '../support/eventually';
import { FakeClock } from '../support/fakeClock';
import { recordingLogger } from '../support/recordingLogger';
import { sampleBrokenLinkReport, sampleErrorReport } from '../support/reports';

export interface ContractSetup {
  clock: FakeClock;
  filter?: NotifierFilterOptions;
  /** Pipeline settings: a built-in notifier takes them as options, a plain object gets them as the pipeline's defaults. */
  maxAlertsPerWindow?: number;
  budgetWindowMs?: number;
  minIntervalMs?: number;
  /** The sink never answers (a Slack or a mail server that hangs, a notify that never settles). */
  hanging?: boolean;
}

export interface ContractSubject {
  notifier: Notifier;
  /** Messages that reached the sink (Slack requests answered, mails accepted, log lines, calls). */
  delivered(): number;
  /** Attempts the sink has seen, answered or not. */
  attempts(): number;
  /** What reached the sink, each message as text (to read the summary's names in). */
  texts(): string[];
  /** Stops the sink (servers); the pipeline is closed by the contract. */
  cleanup(): Promise<void>;
}

export interface ContractCapabilities {
  /** The sink can be made to hang (`hanging`): the close deadline is then tested against it. */
  hangs: boolean;
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
    const subjects: Array<ContractSubject & { pipeline: NotifierPipeline }> = [];
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);

    before(() => process.on('unhandledRejection', onUnhandled));
    after(() => {
      process.off('unhandledRejection', onUnhandled);
    });
    afterEach(async () => {
      for (const subject of subjects.splice(0)) {
        await subject.pipeline.close(0);
        await subject.cleanup();
      }
      // A rejection is reported unhandled after a turn of the event loop.
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled, 'no unhandled rejection').to.deep.equal([]);
    });

    async function subject(setup: Partial<ContractSetup> = {}) {
      const clock = setup.clock ?? new FakeClock();
      const made = await make({ ...setup, clock });
      // What the Announcer does for each notifier it is given.
      const pipeline = notifierPipeline(made.notifier, {
        clock, logger: recordingLogger(), maxAlertsPerWindow: setup.maxAlertsPerWindow, budgetWindowMs: setup.budgetWindowMs, minIntervalMs: setup.minIntervalMs ?? 0,
      });
      subjects.push({ ...made, pipeline });
      return { ...made, pipeline, clock };
    }

    it('notify resolves once the message has reached its sink', async () => {
      const { pipeline, delivered } = await subject();
      expect(await pipeline.notify(sampleErrorReport())).to.equal('sent');
      expect(await pipeline.notify(sampleBrokenLinkReport())).to.equal('sent');
      expect(delivered()).to.equal(2);
    });

    it('filters by accepts(): a report the routing filter refuses never reaches the sink', async () => {
      const { notifier, pipeline, attempts } = await subject({ filter: { kinds: ['error'], minStatus: 500 } });
      expect(notifier.accepts, 'accepts()').to.be.a('function');
      expect(notifier.accepts!(sampleErrorReport())).to.equal(true);
      expect(await pipeline.notify(sampleBrokenLinkReport())).to.equal('filtered');
      expect(await pipeline.notify(sampleErrorReport({ status: 404 }))).to.equal('filtered');
      expect(attempts()).to.equal(0);
      expect(await pipeline.notify(sampleErrorReport())).to.equal('sent');
    });

    it('settles notify for hostile reports, without an unhandled rejection', async () => {
      const { pipeline, clock } = await subject();
      // Called bare: a synchronous throw breaks the contract.
      const outcomes = await Promise.all(hostileReports().map((report) => pipeline.notify(report)));
      expect(outcomes).to.have.length(5);
      await clock.runAll();
      expect(await pipeline.notify(sampleErrorReport())).to.equal('sent');
    });

    it('paces its sends minIntervalMs apart on the clock, one at a time', async () => {
      const { pipeline, clock, attempts } = await subject({ minIntervalMs: 1000 });
      const sending = [pipeline.notify(sampleErrorReport({ fingerprint: 'a' })), pipeline.notify(sampleErrorReport({ fingerprint: 'b' }))];
      await eventually(() => attempts() === 1, { what: 'the first attempt' });
      await clock.advance(999);
      expect(attempts(), 'not before minIntervalMs').to.equal(1);
      await clock.advance(1);
      expect(await Promise.all(sending)).to.deep.equal(['sent', 'sent']);
      expect(attempts()).to.equal(2);
    });

    it('close(timeoutMs) resolves at once when nothing is pending, twice over, and a later notify settles', async () => {
      const { pipeline } = await subject();
      await pipeline.close(1000);
      await pipeline.close(1000);
      expect(await pipeline.notify(sampleErrorReport())).to.equal('dropped');
    });

    if (capabilities.hangs) {
      it('close(timeoutMs) holds its deadline while the sink hangs, and settles every notify by then', async () => {
        const { pipeline, clock, attempts } = await subject({ hanging: true });
        const notifies = [sampleErrorReport({ id: 'a' }), sampleErrorReport({ id: 'b' })].map((r) => pipeline.notify(r));
        await eventually(() => attempts() === 1, { what: 'the first attempt at the sink' });
        let closed = false;
        const closing = pipeline.close(1000).then(() => { closed = true; });
        await clock.advance(999);
        expect(closed, 'not before the deadline').to.equal(false);
        await clock.advance(1);
        await closing;
        expect(await Promise.all(notifies)).to.deep.equal(['dropped', 'dropped']);
      });
    }

    it('honours the alert budget: maxAlertsPerWindow messages, then one summary naming every new issue held back', async () => {
      const { pipeline, clock, delivered, texts } = await subject({ maxAlertsPerWindow: 3, budgetWindowMs: 60_000 });
      const flood = newIssues(10);
      const outcomes = await Promise.all(flood.map((report) => pipeline.notify(report)));
      expect(outcomes.filter((o) => o === 'held')).to.have.length(7);
      expect(delivered()).to.equal(3);
      await clock.advance(60_000);
      await eventually(() => delivered() === 4, { what: 'the summary' });
      const summary = texts()[3];
      expect(summary).to.match(/7 more new issues/);
      for (const held of flood.slice(3)) expect(summary).to.include(held.title);
      await clock.advance(600_000);
      await pipeline.close(1000);
      expect(delivered()).to.equal(4);
    });

    it('keeps a budget per kind: 30 broken links then a new 500, and the 500 gets its own alert', async () => {
      const { pipeline, clock, delivered, texts } = await subject({ maxAlertsPerWindow: 20 });
      await Promise.all(randomBrokenLinks(30).map((report) => pipeline.notify(report)));
      expect(delivered()).to.equal(20);
      const fresh = sampleErrorReport({ fingerprint: 'the-real-500', title: 'TypeError: the real outage', alert: { reason: 'new', suppressed: 0, windowMs: 600_000, count: 1 } });
      expect(await pipeline.notify(fresh)).to.equal('sent');
      expect(texts()[20]).to.include('TypeError: the real outage');
      await clock.advance(600_000);
      await eventually(() => delivered() === 22, { what: 'the broken links\' summary' });
      expect(texts()[21]).to.match(/10 more broken links/);
    });

    it('sends at most the budget plus one summary for 100 random broken links', async () => {
      const { pipeline, clock, delivered } = await subject();
      await Promise.all(randomBrokenLinks(100).map((report) => pipeline.notify(report)));
      await clock.advance(600_000);
      await eventually(() => pipeline.stats.sent === 21, { what: 'the summary' });
      await clock.advance(3_600_000);
      await pipeline.close(1000);
      expect(delivered(), 'the default budget (20) plus one summary').to.equal(21);
    });
  });
}
