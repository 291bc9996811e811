// The contract's second half: storage bounds, deploy-aware regressions, snooze ends,
// activity, visitors, breakdowns, filter values and grouping, run by storeContract() on
// every store, so MemoryStore and MongoStore apply the same rules.
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import type { SavePolicy } from '../../lib/contracts/store';
import type { Report } from '../../lib/report/Report';
import type { FakeClock } from '../support/fakeClock';
import { makeBrokenLinkReport, makeReport, sampleRequest } from '../support/reports';
import type { ContractStore } from './storeContract';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0';

export function storeRulesContract(context: () => { store: ContractStore; clock: FakeClock }): void {
  const fresh = () => `fp-${randomUUID()}`;
  const at = (offsetMs: number) => new Date(context().clock.now() + offsetMs).toISOString();
  const report = (fingerprint: string, overrides: Partial<Report> = {}) => makeReport({ fingerprint, timestamp: at(0), ...overrides });
  const policy = (overrides: Partial<SavePolicy> = {}): SavePolicy => ({
    now: new Date(context().clock.now()), maxClockSkewMs: 60_000, maxNewGroupsPerHour: { error: 1000, 'broken-link': 1000 }, ...overrides,
  });
  const actions = async (fingerprint: string) => (await context().store.activity!('error', fingerprint)).map((e) => e.action);

  describe('storage bounds', () => {
    it('files a report dated in the future at the store\'s now, so it cannot pin lastSeen', async () => {
      const { store, clock } = context();
      const fingerprint = fresh();
      const future = report(fingerprint, { timestamp: '2100-01-01T00:00:00.000Z' });
      const skewed = report(fingerprint, { timestamp: at(30_000) });
      await store.save([future, skewed], policy());
      const issue = await store.getIssue('error', fingerprint);
      expect(issue?.lastSeen.getTime(), 'within the skew, kept as sent').to.equal(clock.now() + 30_000);
      expect((await store.getEvent(future.id))?.timestamp.getTime()).to.equal(clock.now());
    });

    it('counts new fingerprints past maxNewGroupsPerHour in one overflow group per kind, listed like any issue', async () => {
      const { store, clock } = context();
      // An hour of its own, so no other case has spent this budget.
      const hourLater = policy({ now: new Date(clock.now() + 50 * HOUR), maxNewGroupsPerHour: { error: 2, 'broken-link': 1 } });
      const fps = Array.from({ length: 5 }, fresh);
      const outcomes = await store.save(fps.map((fp) => report(fp)), hourLater);
      expect(outcomes.filter((o) => o.isNew && !o.overflowed).map((o) => o.fingerprint)).to.deep.equal(fps.slice(0, 2));
      const overflow = outcomes.find((o) => o.overflowed);
      expect(overflow).to.deep.include({ kind: 'error', fingerprint: 'overflow:error', added: 3, isNew: true });
      const issue = await store.getIssue('error', 'overflow:error');
      expect(issue).to.include({ title: 'New issues over the hourly limit', count: 3 });
      expect(issue?.grouping?.rule).to.equal('overflow');
      expect((await store.listEvents('overflow:error')).events).to.have.length(3);
      expect((await store.listIssues({ q: 'hourly limit' })).issues.map((i) => i.fingerprint)).to.include('overflow:error');
      expect(await store.getIssue('error', fps[4]), 'no group of its own').to.equal(null);
      const [again] = await store.save([report(fresh())], hourLater);
      expect(again).to.deep.include({ fingerprint: 'overflow:error', overflowed: true, isNew: false, count: 4 });
      expect((await store.save([report(fps[0])], hourLater))[0], 'groups that exist keep counting').to.deep.include({ fingerprint: fps[0], count: 2 });
      expect((await store.save([makeBrokenLinkReport(`/b-${randomUUID()}`, 'https://r.example/', { timestamp: at(0) })], hourLater))[0].overflowed, 'each kind its own budget').to.equal(undefined);
      const nextHour = policy({ now: new Date(clock.now() + 51 * HOUR), maxNewGroupsPerHour: { error: 2, 'broken-link': 1 } });
      expect((await store.save([report(fps[4])], nextHour))[0]).to.deep.include({ fingerprint: fps[4], isNew: true });
    });

    it('deletes groups not seen for retentionDays, with their events', async () => {
      const { store, clock } = context();
      const stale = fresh();
      const old = report(stale, { timestamp: at(-40 * DAY) });
      const link = makeBrokenLinkReport(`/stale-${randomUUID()}`, 'https://r.example/', { timestamp: at(-40 * DAY) });
      await store.save([old, link]);
      // Saves prune at most hourly.
      await clock.advance(2 * HOUR);
      await store.save([report(fresh())]);
      expect(await store.getIssue('error', stale)).to.equal(null);
      expect(await store.getIssue('broken-link', link.fingerprint)).to.equal(null);
      expect(await store.getEvent(old.id)).to.equal(null);
    });
  });

  describe('deploy-aware regressions', () => {
    it('records resolvedIn; an occurrence of an old release is counted and marked, a new release reopens', async () => {
      const { store } = context();
      const fingerprint = fresh();
      await store.save([report(fingerprint, { release: '1.4.1' }), report(fingerprint, { release: '1.4.2', timestamp: at(1) })]);
      const resolved = await store.setStatus('error', fingerprint, 'resolved', undefined, { actor: 'ann', via: 'issue page', release: '1.4.3' });
      expect(resolved).to.include({ status: 'resolved', resolvedIn: '1.4.3' });
      const [old] = await store.save([report(fingerprint, { release: '1.4.1' })]);
      expect(old).to.deep.include({ oldRelease: true, regressed: false, status: 'resolved', count: 3 });
      const [older] = await store.save([report(fingerprint, { release: '1.3.0' })]);
      expect(older, 'semver: never seen, but older than resolvedIn').to.deep.include({ oldRelease: true, status: 'resolved' });
      const marked = await store.getIssue('error', fingerprint);
      expect(marked).to.include({ status: 'resolved', oldReleaseSeen: '1.3.0', count: 4 });
      expect(marked?.oldReleaseSeenAt).to.be.instanceOf(Date);
      const [again] = await store.save([report(fingerprint, { release: '1.4.3' })]);
      expect(again).to.deep.include({ regressed: true, status: 'open' });
      expect(again.oldRelease).to.not.equal(true);
      expect((await actions(fingerprint)).slice(0, 5)).to.deep.equal(['new-release', 'regressed', 'old-release', 'old-release', 'resolved']);
    });

    it('takes the newest release seen when the resolve names none; without releases any occurrence reopens', async () => {
      const { store } = context();
      const named = fresh();
      await store.save([report(named, { release: 'abc1234' }), report(named, { release: 'def5678', timestamp: at(1) })]);
      expect(await store.setStatus('error', named, 'resolved')).to.include({ resolvedIn: 'def5678' });
      expect((await store.save([report(named, { release: 'abc1234' })]))[0]).to.deep.include({ oldRelease: true, regressed: false });
      expect((await store.save([report(named, { release: '9990000' })]))[0]).to.deep.include({ regressed: true });
      const bare = fresh();
      await store.save([report(bare)]);
      expect(await store.setStatus('error', bare, 'resolved')).to.include({ resolvedIn: null });
      expect((await store.save([report(bare)]))[0]).to.deep.include({ regressed: true, status: 'open' });
    });
  });

  describe('snoozes, activity and undo', () => {
    it('says why a save ended a snooze: a count or a time', async () => {
      const { store, clock } = context();
      const counted = fresh();
      await store.save([report(counted)]);
      await store.setStatus('error', counted, 'snoozed', { untilCount: 2 });
      expect((await store.save([report(counted)]))[0].snoozeEnded).to.equal(undefined);
      expect((await store.save([report(counted)]))[0]).to.deep.include({ status: 'open', snoozeEnded: { after: 'count', occurrences: 2 } });
      const timed = fresh();
      await store.save([report(timed)]);
      await store.setStatus('error', timed, 'snoozed', { until: new Date(clock.now() + HOUR) });
      await clock.advance(HOUR);
      expect((await store.save([report(timed)]))[0]).to.deep.include({ status: 'open', snoozeEnded: { after: 'time', ms: HOUR } });
      expect((await store.activity!('error', timed))[0]).to.include({ action: 'snooze-ended', actor: null });
    });

    it('keeps every status change with who, from where and what, newest first, and the first event of a release', async () => {
      const { store } = context();
      const fingerprint = fresh();
      await store.save([report(fingerprint, { release: '2.0.0' })]);
      await store.setStatus('error', fingerprint, 'ignored', undefined, { actor: 'ann', via: 'bulk' });
      await store.setStatus('error', fingerprint, 'snoozed', { untilCount: 10 }, { actor: 'bob', via: 'issue page' });
      await store.save([report(fingerprint, { release: '2.1.0' })]);
      const entries = await store.activity!('error', fingerprint);
      expect(entries.map((e) => [e.action, e.actor, e.via, e.detail])).to.deep.equal([
        ['new-release', null, null, '2.1.0'],
        ['snoozed', 'bob', 'issue page', '10 more occurrences'],
        ['ignored', 'ann', 'bulk', null],
        ['created', null, null, null],
      ]);
      expect(entries[0].at).to.be.instanceOf(Date);
      expect(await store.activity!('error', fingerprint, { limit: 2 })).to.have.length(2);
      expect(await store.activity!('error', 'no-such-issue')).to.deep.equal([]);
    });

    it('undoes a bulk action by setting the previous status, a snooze with what was left of it', async () => {
      const { store, clock } = context();
      const counted = fresh();
      await store.save([report(counted)]);
      const before = await store.setStatus('error', counted, 'snoozed', { untilCount: 5 });
      await store.setStatus('error', counted, 'resolved', undefined, { via: 'bulk' });
      const left = (before?.snoozedUntilCount as number) - (before?.count as number);
      expect(await store.setStatus('error', counted, 'snoozed', { untilCount: left }, { via: 'undo' })).to.include({ status: 'snoozed', snoozedUntilCount: before?.snoozedUntilCount, resolvedIn: null });
      const timed = fresh();
      await store.save([report(timed)]);
      const until = new Date(clock.now() + 3 * HOUR);
      await store.setStatus('error', timed, 'snoozed', { until });
      await store.setStatus('error', timed, 'ignored', undefined, { via: 'bulk' });
      expect((await store.setStatus('error', timed, 'snoozed', { until }, { via: 'undo' }))?.snoozedUntil?.getTime()).to.equal(until.getTime());
      expect((await store.activity!('error', timed))[0]).to.include({ action: 'snoozed', via: 'undo' });
    });
  });

  describe('impact', () => {
    it('counts anonymous visitors by a keyed hash of their IP, never keeping the IP', async () => {
      const { store } = context();
      const fingerprint = fresh();
      const from = (ip: string, user = { id: null, username: 'Anonymous' } as Report['user']) => report(fingerprint, { request: sampleRequest({ ip }), user });
      await store.save([from('203.0.113.71'), from('::ffff:203.0.113.71'), from('203.0.113.72'), from('203.0.113.73', { id: '9', username: 'zoe' })]);
      const issue = await store.getIssue('error', fingerprint);
      expect(issue).to.include({ visitors: 2, users: 1 });
      expect(JSON.stringify(issue)).to.not.include('203.0.113.7');
    });

    it('breaks an issue down by release, environment, route, browser and host over the last days', async () => {
      const { store } = context();
      const fingerprint = fresh();
      const hit = (offsetMs: number, ua: string | null, route: string | null, release: string | null, occurrences = 1) => ({
        ...report(fingerprint, { timestamp: at(offsetMs), release, request: sampleRequest({ userAgent: ua, route, path: '/p/1' }) }), occurrences,
      });
      await store.save([
        hit(0, CHROME, '/p/:id', '1.0.0', 3), hit(-1000, FIREFOX, null, '1.0.0'), hit(-2000, 'curl/8.4.0', '/p/:id', null),
        hit(-3 * DAY, CHROME, '/q', '0.9.0'), hit(-20 * DAY, CHROME, '/old', '0.1.0'),
      ]);
      const all = await store.breakdowns!(fingerprint);
      expect(all).to.deep.include({ days: 14, total: 6 });
      expect(all.release).to.deep.equal([{ value: '1.0.0', count: 4 }, { value: '(none)', count: 1 }, { value: '0.9.0', count: 1 }]);
      expect(all.browser).to.deep.equal([{ value: 'Chrome', count: 4 }, { value: 'Firefox', count: 1 }, { value: 'curl', count: 1 }]);
      expect(all.route).to.deep.equal([{ value: '/p/:id', count: 4 }, { value: '/p/1', count: 1 }, { value: '/q', count: 1 }]);
      expect(all.environment).to.deep.equal([{ value: 'test', count: 6 }]);
      expect(all.host).to.deep.equal([{ value: 'spec-host', count: 6 }]);
      expect((await store.breakdowns!(fingerprint, { days: 1 })).total).to.equal(5);
      expect((await store.breakdowns!('no-such-issue')).total).to.equal(0);
    });

    it('lists the releases and environments seen, most recent first', async () => {
      const { store } = context();
      const tag = randomUUID().slice(0, 8);
      await store.save([report(fresh(), { release: `old-${tag}`, environment: `env-old-${tag}`, timestamp: at(-HOUR) })]);
      await store.save([report(fresh(), { release: `new-${tag}`, environment: `env-new-${tag}`, timestamp: at(60_000) })]);
      const { releases, environments } = await store.filterValues!({ kind: 'error' });
      expect(releases.indexOf(`new-${tag}`)).to.be.within(0, releases.indexOf(`old-${tag}`) - 1);
      expect(environments.indexOf(`env-new-${tag}`)).to.be.within(0, environments.indexOf(`env-old-${tag}`) - 1);
      expect((await store.filterValues!({ kind: 'broken-link' })).releases).to.not.include(`new-${tag}`);
    });

    it('keeps how a group was made and the upstream of an HTTP client error', async () => {
      const { store } = context();
      const fingerprint = fresh();
      const error = { ...makeReport().error!, http: {
        client: 'axios' as const, method: 'GET', url: 'https://api.weather.example/v1/forecast?city=x', status: 401, statusText: 'Unauthorized',
        code: null, requestHeaders: {}, responseHeaders: {},
      } };
      await store.save([report(fingerprint, { error, grouping: { rule: 'frames', detail: 'in-app frames of TypeError: routes/users.ts handler' } })]);
      const issue = await store.getIssue('error', fingerprint);
      expect(issue?.grouping).to.deep.equal({ rule: 'frames', detail: 'in-app frames of TypeError: routes/users.ts handler' });
      expect(issue?.upstream).to.deep.equal({ method: 'GET', host: 'api.weather.example', status: 401 });
    });
  });
}
