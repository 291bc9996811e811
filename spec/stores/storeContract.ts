// The contract every store passes (MongoStore, the in-memory spec store, and any new
// one): a new implementation passes it or it is not done. Run by
// spec/stores/mongo/MongoStore.contract.spec.ts and spec/stores/memory/MemoryStore.contract.spec.ts.
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import type { Store } from '../../lib/contracts/store';
import type { IssueStore } from '../../lib/contracts/issueStore';
import type { Report } from '../../lib/report/Report';
import { FakeClock } from '../support/fakeClock';
import { makeBrokenLinkReport, makeReport, sampleRequest } from '../support/reports';
import { storeRulesContract } from './storeRulesContract';

export type ContractStore = Store & IssueStore;

/** `open(clock)` gives a store (on fresh data or at least fresh fingerprints) whose time is `clock`. */
export function storeContract(name: string, open: (clock: FakeClock) => Promise<ContractStore>, close: (store: ContractStore) => Promise<void>): void {
  describe(`${name} (Store contract)`, function () {
    this.timeout(120_000);
    let clock: FakeClock;
    let store: ContractStore;
    const fresh = () => `fp-${randomUUID()}`;
    const at = (offsetMs: number) => new Date(clock.now() + offsetMs).toISOString();
    const report = (fingerprint: string, overrides: Partial<Report> = {}) => makeReport({ fingerprint, timestamp: at(0), ...overrides });

    before(async () => {
      clock = new FakeClock(Date.UTC(2030, 5, 15, 12, 30));
      store = await open(clock);
    });
    after(() => close(store));

    it('stores a report as an event and an issue, and says so in its outcome', async () => {
      const fingerprint = fresh();
      const first = report(fingerprint, { request: sampleRequest({ requestId: `req-${fingerprint}` }) });
      const outcomes = await store.save([first]);
      expect(outcomes).to.have.length(1);
      // `alert` is the store's own decision, when it makes one (MongoStore's specs check it).
      expect(outcomes[0]).to.deep.include({ kind: 'error', fingerprint, added: 1, count: 1, isNew: true, regressed: false, status: 'open' });
      const issue = await store.getIssue('error', fingerprint);
      expect(issue).to.include({ kind: 'error', fingerprint, count: 1, status: 'open', type: 'TypeError', message: 'boom', title: 'TypeError: boom', lastEventId: first.id });
      expect(issue?.culprit).to.equal('handler (/app/routes/users.ts:42)');
      expect(issue?.firstSeen.toISOString()).to.equal(first.timestamp);
      expect(await store.getIssue('broken-link', fingerprint), 'kinds are apart').to.equal(null);
      const event = await store.getEvent(first.id);
      expect(event).to.include({ id: first.id, fingerprint, kind: 'error', title: 'TypeError: boom', status: 500, occurrences: 1 });
      expect(event?.timestamp).to.be.instanceOf(Date);
      expect((await store.findEvents({ requestId: `req-${fingerprint}` })).map((e) => e.id)).to.deep.equal([first.id]);
      expect(await store.findEvents({ requestId: 'no-such-request' })).to.deep.equal([]);
      expect(await store.getEvent('no-such-event')).to.equal(null);
    });

    it('is idempotent by report id and counts folded occurrences exactly', async () => {
      const fingerprint = fresh();
      const batch = [report(fingerprint), { ...report(fingerprint), occurrences: 250 }, report(fingerprint)];
      expect((await store.save(batch))[0]).to.include({ added: 252, count: 252, isNew: true });
      expect((await store.save(batch))[0], 'a replay').to.include({ added: 0, count: 252, isNew: false });
      expect((await store.save([batch[0], batch[0], report(fingerprint)]))[0], 'an overlapping batch').to.include({ added: 1, count: 253 });
      const { events, hasMore } = await store.listEvents(fingerprint, { perPage: 10 });
      expect(events.map((e) => e.occurrences).sort((a, b) => a - b)).to.deep.equal([1, 1, 1, 250]);
      expect(hasMore).to.equal(false);
      expect(await store.countEvents(fingerprint, { max: 100 }), 'events, not occurrences').to.equal(4);
      expect(await store.countEvents(fingerprint, { max: 3 }), 'counted up to max').to.equal(3);
      expect(await store.countEvents(fresh(), { max: 100 })).to.equal(0);
      // MongoDB reads a count limit of 0 as no limit at all: max 0 must still mean none counted.
      expect(await store.countEvents(fingerprint, { max: 0 }), 'max 0').to.equal(0);
    });

    it('counts broken links per link, without events', async () => {
      const url = `/old-${randomUUID()}`;
      const hits = Array.from({ length: 3 }, () => makeBrokenLinkReport(url, 'https://elsewhere.example/', { timestamp: at(0) }));
      const outcomes = await store.save(hits);
      expect(outcomes).to.have.length(1);
      expect(outcomes[0]).to.deep.include({ kind: 'broken-link', fingerprint: `link:${url}`, added: 3, count: 3, isNew: true, regressed: false, status: 'open' });
      expect(await store.getIssue('broken-link', `link:${url}`)).to.include({ url, referer: 'https://elsewhere.example/', internal: false, count: 3, status: 'open' });
      expect((await store.listEvents(`link:${url}`)).events).to.deep.equal([]);
    });

    it('reopens a resolved issue that recurs, once, as a regression', async () => {
      const fingerprint = fresh();
      await store.save([report(fingerprint)]);
      const resolved = await store.setStatus('error', fingerprint, 'resolved');
      expect(resolved).to.include({ status: 'resolved' });
      expect(resolved?.resolvedAt).to.be.instanceOf(Date);
      const [again] = await store.save([report(fingerprint)]);
      expect(again).to.include({ regressed: true, status: 'open', count: 2 });
      expect((await store.getIssue('error', fingerprint))?.regressedAt).to.be.instanceOf(Date);
      expect((await store.save([report(fingerprint)]))[0].regressed).to.equal(false);
    });

    it('keeps an ignored issue counted and ignored', async () => {
      const fingerprint = fresh();
      await store.save([report(fingerprint)]);
      expect(await store.setStatus('error', fingerprint, 'ignored')).to.include({ status: 'ignored' });
      const [outcome] = await store.save([report(fingerprint), report(fingerprint)]);
      expect(outcome).to.include({ status: 'ignored', added: 2, count: 3, regressed: false });
      expect(await store.setStatus('error', fingerprint, 'open')).to.include({ status: 'open' });
    });

    it('snoozes until N more occurrences, then opens again', async () => {
      const fingerprint = fresh();
      await store.save([report(fingerprint)]);
      expect(await store.setStatus('error', fingerprint, 'snoozed', { untilCount: 3 })).to.include({ status: 'snoozed', snoozedUntilCount: 4 });
      expect((await store.save([report(fingerprint), report(fingerprint)]))[0]).to.include({ status: 'snoozed', count: 3 });
      expect((await store.save([report(fingerprint)]))[0]).to.include({ status: 'open', count: 4 });
      expect(await store.getIssue('error', fingerprint)).to.include({ status: 'open', snoozedUntilCount: null });
    });

    it('snoozes until a time, then opens again (in listings too)', async () => {
      const fingerprint = fresh();
      const environment = `env-${fingerprint}`;
      await store.save([report(fingerprint, { environment })]);
      const until = new Date(clock.now() + 60 * 60_000);
      expect((await store.setStatus('error', fingerprint, 'snoozed', { until }))?.snoozedUntil?.getTime()).to.equal(until.getTime());
      expect((await store.save([report(fingerprint, { environment })]))[0]).to.include({ status: 'snoozed' });
      expect((await store.listIssues({ status: 'snoozed', environment })).issues.map((i) => i.fingerprint)).to.deep.equal([fingerprint]);
      await clock.advance(60 * 60_000);
      expect((await store.listIssues({ status: 'snoozed', environment })).issues).to.deep.equal([]);
      expect((await store.listIssues({ environment })).issues.map((i) => i.fingerprint)).to.deep.equal([fingerprint]);
      expect((await store.save([report(fingerprint, { environment })]))[0]).to.include({ status: 'open', count: 3 });
    });

    it('refuses a status it does not know and a snooze without an end; answers null for no such issue', async () => {
      const fingerprint = fresh();
      await store.save([report(fingerprint)]);
      await expectRejection(store.setStatus('error', fingerprint, 'closed' as never), RangeError);
      await expectRejection(store.setStatus('error', fingerprint, 'snoozed'), TypeError);
      await expectRejection(store.setStatus('error', fingerprint, 'snoozed', { untilCount: 0 }), RangeError);
      expect(await store.setStatus('error', 'no-such-issue', 'resolved')).to.equal(null);
      expect(await store.getIssue('error', { $ne: null } as never)).to.equal(null);
    });

    it('tracks environments, releases and distinct users per issue', async () => {
      const fingerprint = fresh();
      await store.save([
        report(fingerprint, { environment: 'production', release: '1.0.0', user: { id: '7', username: 'ann' } }),
        report(fingerprint, { environment: 'staging', release: '1.0.1', user: { id: '7', username: 'ann' } }),
        report(fingerprint, { environment: 'production', release: null, user: { id: null, username: 'bob' } }),
        report(fingerprint, { environment: 'production', user: { id: null, username: 'Anonymous' } }),
      ]);
      const issue = await store.getIssue('error', fingerprint);
      expect([...issue!.environments].sort()).to.deep.equal(['production', 'staging']);
      expect([...issue!.releases].sort()).to.deep.equal(['1.0.0', '1.0.1']);
      expect(issue!.users).to.equal(2);
    });

    describe('listIssues', () => {
      let environment: string;
      const fps: Record<string, string> = {};

      before(async () => {
        environment = `list-${randomUUID()}`;
        // a: oldest first seen, most counted; b: newest last seen; c: a broken link in between.
        fps.a = fresh();
        fps.b = fresh();
        fps.c = `link:/gone-${environment}`;
        await store.save([report(fps.a, { environment, timestamp: at(-5000) }), ...Array.from({ length: 4 }, () => report(fps.a, { environment, timestamp: at(-4000) }))]);
        await store.save([report(fps.b, { environment, release: '2.0.0', timestamp: at(-3000), title: 'RangeError: (weird) [title].*' }), report(fps.b, { environment, release: '2.0.0', timestamp: at(-1000) })]);
        await store.save([makeBrokenLinkReport(`/gone-${environment}`, 'https://ref.example/', { environment, timestamp: at(-2000) })]);
      });

      const listed = async (query: Parameters<IssueStore['listIssues']>[0]) => (await store.listIssues({ environment, ...query })).issues.map((i) => i.fingerprint);

      it('merges both kinds by the sort key, newest last seen first by default', async () => {
        expect(await listed({})).to.deep.equal([fps.b, fps.c, fps.a]);
        expect(await listed({ sort: 'firstSeen' })).to.deep.equal([fps.c, fps.b, fps.a]);
        expect(await listed({ sort: 'count' })).to.deep.equal([fps.a, fps.b, fps.c]);
      });

      it('filters by kind, status, release and free text', async () => {
        expect(await listed({ kind: 'error' })).to.deep.equal([fps.b, fps.a]);
        expect(await listed({ kind: 'broken-link' })).to.deep.equal([fps.c]);
        expect(await listed({ release: '2.0.0' })).to.deep.equal([fps.b]);
        expect(await listed({ q: '(WEIRD) [title].*' }), 'text is matched as text, case-insensitively').to.deep.equal([fps.b]);
        expect(await listed({ q: '.*' })).to.deep.equal([fps.b]);
        expect(await listed({ q: 'ref.example' })).to.deep.equal([fps.c]);
        expect(await listed({ q: 'routes/users' })).to.deep.equal([fps.b, fps.a]);
        await store.setStatus('error', fps.a, 'resolved');
        expect(await listed({})).to.deep.equal([fps.b, fps.c]);
        expect(await listed({ status: 'resolved' })).to.deep.equal([fps.a]);
        expect(await listed({ status: 'all' })).to.deep.equal([fps.b, fps.c, fps.a]);
        await store.setStatus('error', fps.a, 'open');
      });

      it('pages without a total: hasMore from one more', async () => {
        const pages = await Promise.all([1, 2, 3].map((page) => store.listIssues({ environment, perPage: 1, page })));
        expect(pages.map((p) => p.issues.map((i) => i.fingerprint))).to.deep.equal([[fps.b], [fps.c], [fps.a]]);
        expect(pages.map((p) => p.hasMore)).to.deep.equal([true, true, false]);
        expect(pages[1]).to.include({ page: 2, perPage: 1 });
        const kindPages = await Promise.all([1, 2].map((page) => store.listIssues({ environment, kind: 'error', perPage: 1, page })));
        expect(kindPages.map((p) => [p.issues.map((i) => i.fingerprint), p.hasMore])).to.deep.equal([[[fps.b], true], [[fps.a], false]]);
        expect((await store.listIssues({ environment, page: 4, perPage: 1 })).issues).to.deep.equal([]);
      });
    });

    it('counts occurrences per hour and per day, folded events by their occurrences', async () => {
      const fingerprint = fresh();
      const hour = 3_600_000;
      await store.save([
        report(fingerprint, { timestamp: at(0) }),
        { ...report(fingerprint, { timestamp: at(-2 * hour) }), occurrences: 40 },
        report(fingerprint, { timestamp: at(-2 * hour) }),
        report(fingerprint, { timestamp: at(-30 * hour) }),
        report(fingerprint, { timestamp: at(-20 * 24 * hour) }),
      ]);
      const hours = await store.histogram(fingerprint, { by: 'hour' });
      expect(hours).to.have.length(24);
      expect(hours.at(-1)?.start.getTime()).to.equal(Math.floor(clock.now() / hour) * hour);
      expect(hours.map((b) => b.count).filter(Boolean)).to.deep.equal([41, 1]);
      expect(hours.at(-3)?.count).to.equal(41);
      const days = await store.histogram(fingerprint, { by: 'day' });
      expect(days).to.have.length(14);
      expect(days.reduce((sum, b) => sum + b.count, 0), 'the 20-day-old event is outside').to.equal(43);
      expect(days.at(-1)?.start.toISOString()).to.equal('2030-06-15T00:00:00.000Z');
    });

    it('answers histograms() for many issues at once exactly as histogram() answers each', async () => {
      const hour = 3_600_000;
      const busy = fresh();
      const quiet = fresh();
      const unseen = fresh();
      await store.save([
        report(busy, { timestamp: at(0) }),
        { ...report(busy, { timestamp: at(-5 * hour) }), occurrences: 7 },
        report(busy, { timestamp: at(-3 * 24 * hour) }),
        report(quiet, { timestamp: at(-23 * hour) }),
        report(quiet, { timestamp: at(-40 * 24 * hour) }),
      ]);
      const now = new Date(clock.now());
      for (const by of ['hour', 'day'] as const) {
        const batch = await store.histograms!([busy, quiet, unseen, busy], { by, now });
        expect([...batch.keys()], 'each fingerprint once, in the order asked').to.deep.equal([busy, quiet, unseen]);
        for (const fingerprint of [busy, quiet, unseen]) {
          expect(batch.get(fingerprint), `${by} ${fingerprint}`).to.deep.equal(await store.histogram(fingerprint, { by, now }));
        }
      }
      expect((await store.histograms!([busy], { by: 'hour' })).get(busy)?.at(-6)?.count, 'now defaults to the store clock').to.equal(7);
      expect((await store.histograms!([], { by: 'day' })).size).to.equal(0);
    });

    storeRulesContract(() => ({ store, clock }));
  });
}

async function expectRejection(promise: Promise<unknown>, type: new (...args: never[]) => Error): Promise<void> {
  let failure: unknown;
  await promise.catch((err: unknown) => { failure = err; });
  expect(failure).to.be.instanceOf(type);
}
