// What is particular to MongoStore; what every store does is in ../storeContract.ts.
import { expect } from 'chai';
import mongoose, { type Connection } from 'mongoose';
import net from 'node:net';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { MongoStore } from '../../../lib/stores/mongo/MongoStore';
import { isPermanentStoreError } from '../../../lib/contracts/store';
import { silentLogger } from '../../../lib/core/logger';
import type { Logger } from '../../../lib/core/logger';
import { mongoUri } from '../../support/mongoServer';
import { FakeClock } from '../../support/fakeClock';
import { makeBrokenLinkReport, makeReport } from '../../support/reports';
import { eventually } from '../../support/eventually';

const DB = 'tripwire_mongostore_spec';
const repoRoot = path.resolve(__dirname, '..', '..', '..');

function capturingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (message: string, fields?: Record<string, unknown>) => { lines.push(`${message} ${JSON.stringify(fields ?? {})}`); };
  return { lines, info: push, warn: push, error: push };
}

describe('MongoStore', function () {
  this.timeout(120_000);
  let uri: string;
  let store: MongoStore;
  let raw: Connection;
  let fingerprintSeq = 0;
  const nextFingerprint = () => `fp-${++fingerprintSeq}-${Date.now()}`;

  before(async () => {
    uri = await mongoUri(DB);
    raw = await mongoose.createConnection(uri).asPromise();
    await raw.dropDatabase();
    store = new MongoStore({ uri, logger: silentLogger });
  });

  after(async () => {
    await store?.close();
    await raw?.close();
  });

  describe('options', () => {
    it('needs exactly one of uri or connection', () => {
      expect(() => new MongoStore({})).to.throw(TypeError, /exactly one of `uri` or `connection`/);
      expect(() => new MongoStore({ uri: 'x', connection: raw })).to.throw(TypeError, /exactly one/);
      expect(() => new MongoStore({ uri: 'http://example.com' })).to.throw(TypeError, /`uri`/);
    });

    it('rejects a bad retentionDays, timeout, idle close, clock or collection name', () => {
      expect(() => new MongoStore({ connection: raw, retentionDays: 0 })).to.throw(RangeError, /retentionDays/);
      expect(() => new MongoStore({ connection: raw, serverSelectionTimeoutMS: -1 })).to.throw(RangeError, /serverSelectionTimeoutMS/);
      expect(() => new MongoStore({ connection: raw, idleCloseMs: 0.5 })).to.throw(RangeError, /idleCloseMs/);
      expect(() => new MongoStore({ connection: raw, clock: {} as never })).to.throw(TypeError, /clock/);
      expect(() => new MongoStore({ connection: raw, collections: { events: '' } })).to.throw(TypeError, /collections\.events/);
      expect(() => new MongoStore({ connection: raw, collections: { events: 'same', issues: 'same' } })).to.throw(TypeError, /distinct/);
    });

    it('rejects unknown keys, naming the closest known one', () => {
      expect(() => new MongoStore({ connection: raw, retentionDay: 3 } as never)).to.throw(TypeError, /unknown option `retentionDay`; did you mean `retentionDays`/);
      expect(() => new MongoStore({ connection: raw, collections: { event: 'x' } } as never)).to.throw(TypeError, /`event`; did you mean `events`/);
    });
  });

  it('counts a replayed report whose event was stored but not yet counted (crash between the writes)', async () => {
    const fingerprint = nextFingerprint();
    const report = makeReport({ fingerprint });
    await raw.collection('tripwire_events').insertOne({ _id: report.id as never, fingerprint, kind: 'error', timestamp: new Date() });
    const [outcome] = await store.save([report]);
    expect(outcome).to.include({ added: 1, count: 1, isNew: true });
    expect(await raw.collection('tripwire_events').countDocuments({ fingerprint })).to.equal(1);
  });

  it('reopens a resolved issue once, as a regression, whichever of two instances sees it first', async () => {
    const fingerprint = nextFingerprint();
    await store.save([makeReport({ fingerprint })]);
    await store.setStatus('error', fingerprint, 'resolved');
    const other = new MongoStore({ uri, logger: silentLogger });
    try {
      const outcomes = (await Promise.all([
        store.save([makeReport({ fingerprint })]),
        other.save([makeReport({ fingerprint })]),
        store.save([makeReport({ fingerprint })]),
      ])).flat();
      expect(outcomes.filter((o) => o.regressed)).to.have.length(1);
      expect(await store.getIssue('error', fingerprint)).to.include({ status: 'open', count: 4 });
    } finally {
      await other.close();
    }
  });

  it('counts concurrent saves of new reports of one new group from two instances exactly', async () => {
    const fingerprint = nextFingerprint();
    const other = new MongoStore({ uri, logger: silentLogger });
    try {
      const batches = Array.from({ length: 6 }, () => Array.from({ length: 10 }, () => makeReport({ fingerprint })));
      const outcomes = (await Promise.all(batches.map((b, i) => (i % 2 ? other : store).save(b)))).flat();
      expect(outcomes.reduce((sum, o) => sum + o.added, 0)).to.equal(60);
      expect(outcomes.filter((o) => o.isNew)).to.have.length(1);
      expect((await store.getIssue('error', fingerprint))?.count).to.equal(60);
    } finally {
      await other.close();
    }
  });

  it('keeps triage state in MongoDB, so every instance sees it', async () => {
    const fingerprint = nextFingerprint();
    const other = new MongoStore({ uri, logger: silentLogger });
    try {
      await store.save([makeReport({ fingerprint })]);
      await other.setStatus('error', fingerprint, 'ignored');
      expect((await store.save([makeReport({ fingerprint })]))[0]).to.include({ status: 'ignored', count: 2 });
    } finally {
      await other.close();
    }
  });
  describe('shared by several instances', () => {
    it('spends one new-group budget between them: one counter per kind and hour', async () => {
      const other = new MongoStore({ uri, logger: silentLogger });
      try {
        const policy = { now: new Date(Date.UTC(2031, 0, 1, 10, 30)), maxClockSkewMs: 60_000, maxNewGroupsPerHour: { error: 3, 'broken-link': 3 } };
        const batches = [store, other, store, other].map((s) => s.save(Array.from({ length: 2 }, () => makeReport({ fingerprint: nextFingerprint(), timestamp: policy.now.toISOString() })), policy));
        const outcomes = (await Promise.all(batches)).flat();
        expect(outcomes.filter((o) => o.isNew && !o.overflowed)).to.have.length(3);
        const overflowed = outcomes.filter((o) => o.overflowed);
        expect(overflowed.reduce((sum, o) => sum + o.added, 0)).to.equal(5);
        expect(overflowed.every((o) => o.fingerprint === 'overflow:error')).to.equal(true);
        expect((await raw.collection('tripwire_meta').findOne({ _id: 'new-groups:error:2031-01-01T10:00:00.000Z' as never }))?.count).to.equal(8);
      } finally {
        await other.close();
      }
    });

    it('hashes a visitor alike on every instance, with a key kept in the database, and stores no IP', async () => {
      const fingerprint = nextFingerprint();
      const other = new MongoStore({ uri, logger: silentLogger });
      try {
        const from = (ip: string) => makeReport({ fingerprint, user: { id: null, username: 'Anonymous' }, request: { ...makeReport().request!, ip } });
        await store.save([from('198.51.100.9')]);
        await other.save([from('198.51.100.9'), from('198.51.100.10')]);
        expect(await store.getIssue('error', fingerprint)).to.include({ visitors: 2 });
        const key = await raw.collection('tripwire_meta').findOne({ _id: 'visitor-key' as never });
        expect(Buffer.from(String(key?.key), 'base64')).to.have.length(32);
        const group = await raw.collection('tripwire_issues').findOne({ _id: fingerprint as never });
        expect(JSON.stringify(group)).to.not.include('198.51.100');
      } finally {
        await other.close();
      }
    });
  });

  describe('alertLedger', () => {
    it('lets exactly one of two instances announce a window they race for', async () => {
      const fingerprint = nextFingerprint();
      await store.save([makeReport({ fingerprint })]);
      const other = new MongoStore({ uri, logger: silentLogger });
      try {
        const windowMs = 60_000;
        // Past the window opened by the save, so every racer is eligible.
        const now = new Date(Date.now() + windowMs + 1000);
        const ledgers = [store.alertLedger('error'), other.alertLedger('error')];
        const verdicts = await Promise.all(Array.from({ length: 20 }, (_, i) =>
          ledgers[i % 2].record({ kind: 'error', fingerprint, occurrences: 1, force: false, now, windowMs })));
        expect(verdicts.filter((v) => v.send)).to.have.length(1);
        // The 19 held back are claimed as one digest once the window has passed.
        const later = new Date(now.getTime() + windowMs);
        const claims = await Promise.all([
          ledgers[0].claimDigest('error', fingerprint, later, windowMs),
          ledgers[1].claimDigest('error', fingerprint, later, windowMs),
        ]);
        expect(claims.map((c) => c.suppressed).sort((a, b) => a - b)).to.deep.equal([0, 19]);
      } finally {
        await other.close();
      }
    });

    it("decides a new group's alert on the save: its creator announces it, the rest of the batch and racers wait for the digest", async () => {
      const fingerprint = nextFingerprint();
      const [outcome] = await store.save([makeReport({ fingerprint }), makeReport({ fingerprint })]);
      expect(outcome).to.deep.include({ isNew: true, alert: { send: true, suppressed: 0 } });
      const ledger = store.alertLedger('error');
      const now = new Date();
      expect(await ledger.record({ kind: 'error', fingerprint, occurrences: 1, force: false, now, windowMs: 60_000 })).to.deep.equal({ send: false, suppressed: 0 });
      // The creator's second occurrence and the racer's are held back for the digest.
      expect((await ledger.claimDigest('error', fingerprint, new Date(now.getTime() + 60_000), 60_000)).suppressed).to.equal(2);
      expect((await ledger.claimDigest('error', fingerprint, new Date(now.getTime() + 120_000), 60_000)).suppressed).to.equal(0);
    });

    it('gives one of two instances creating one group the alert', async () => {
      const fingerprint = nextFingerprint();
      const other = new MongoStore({ uri, logger: silentLogger });
      try {
        const outcomes = (await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? other : store).save([makeReport({ fingerprint })])))).flat();
        expect(outcomes.filter((o) => o.alert?.send)).to.have.length(1);
        expect(outcomes.filter((o) => o.isNew)).to.have.length(1);
      } finally {
        await other.close();
      }
    });

    it("decides a regression's alert on the save, carrying what was held back", async () => {
      const fingerprint = nextFingerprint();
      await store.save([makeReport({ fingerprint })]);
      await store.alertLedger('error').record({ kind: 'error', fingerprint, occurrences: 3, force: false, now: new Date(), windowMs: 60_000 });
      await store.setStatus('error', fingerprint, 'resolved');
      const [outcome] = await store.save([makeReport({ fingerprint })]);
      expect(outcome).to.deep.include({ regressed: true, alert: { send: true, suppressed: 3 } });
    });

    it('announces the occurrence that ends a snooze, inside the window or not', async () => {
      const fingerprint = nextFingerprint();
      await store.save([makeReport({ fingerprint })]);
      await store.setStatus('error', fingerprint, 'snoozed', { untilCount: 2 });
      expect((await store.save([makeReport({ fingerprint })]))[0]).to.deep.include({ status: 'snoozed', alert: { send: false, suppressed: 0 } });
      expect((await store.save([makeReport({ fingerprint }), makeReport({ fingerprint })]))[0]).to.deep.include({ status: 'open', alert: { send: true, suppressed: 0 } });
      // Its second occurrence is held back for the digest.
      const later = new Date(Date.now() + 120_000);
      expect((await store.alertLedger('error').claimDigest('error', fingerprint, later, 60_000)).suppressed).to.equal(1);
    });

    it('never announces an ignored or snoozed group, on the save or through the ledger', async () => {
      const fingerprint = nextFingerprint();
      const ledger = store.alertLedger('error');
      await store.save([makeReport({ fingerprint })]);
      await store.setStatus('error', fingerprint, 'ignored');
      const [outcome] = await store.save([makeReport({ fingerprint })]);
      expect(outcome).to.deep.include({ status: 'ignored', alert: { send: false, suppressed: 0 } });
      const later = new Date(Date.now() + 3_600_000);
      expect(await ledger.record({ kind: 'error', fingerprint, occurrences: 1, force: true, now: later, windowMs: 60_000 })).to.deep.equal({ send: false, suppressed: 0 });
      await store.setStatus('error', fingerprint, 'snoozed', { untilCount: 100 });
      expect(await ledger.record({ kind: 'error', fingerprint, occurrences: 1, force: false, now: later, windowMs: 60_000 })).to.deep.equal({ send: false, suppressed: 0 });
      expect((await ledger.claimDigest('error', fingerprint, new Date(later.getTime() + 60_000), 60_000)).suppressed).to.equal(0);
      await store.setStatus('error', fingerprint, 'open');
      expect(await ledger.record({ kind: 'error', fingerprint, occurrences: 1, force: false, now: later, windowMs: 60_000 }), 'nothing owed from while it was silenced').to.deep.equal({ send: true, suppressed: 0 });
    });
  });

  it('pages both kinds merged as the one listing they make, at any depth, reading one page of each', async () => {
    const environment = `merged-${Date.now()}`;
    const start = Date.now() - 3_600_000;
    const errors = Array.from({ length: 30 }, (_, i) => Array.from({ length: 1 + ((i * 7) % 5) }, () => makeReport({ fingerprint: `${environment}-e${i}`, environment, timestamp: new Date(start + ((i * 7919) % 997) * 1000).toISOString() })));
    const links = Array.from({ length: 20 }, (_, i) => Array.from({ length: 1 + ((i * 3) % 4) }, () => makeBrokenLinkReport(`/${environment}-l${i}`, 'https://r.example/', { environment, timestamp: new Date(start + ((i * 104_729) % 997) * 1000 + 500).toISOString() })));
    await store.save([...errors.flat(), ...links.flat()]);
    for (const sort of ['lastSeen', 'count', 'firstSeen'] as const) {
      const whole = (await store.listIssues({ environment, sort, perPage: 500 })).issues.map((i) => i.fingerprint);
      expect(whole).to.have.length(50);
      const paged: string[] = [];
      for (let page = 1; page <= 8; page++) paged.push(...(await store.listIssues({ environment, sort, perPage: 7, page })).issues.map((i) => i.fingerprint));
      expect(paged, sort).to.deep.equal(whole);
    }
  });

  describe('user data', () => {
    it('stores $-prefixed and dotted keys as data and restores them when read', async () => {
      const fingerprint = nextFingerprint();
      const body = { $where: 'sleep(10000) || true', $gt: '', nested: { 'a.b': [{ $ne: null }] } };
      const base = makeReport({ fingerprint });
      const report = makeReport({
        fingerprint,
        request: { ...(base.request as NonNullable<typeof base.request>), body, query: { 'x.y': '1', $or: '[]' } },
        error: { ...(base.error as NonNullable<typeof base.error>), extra: { $set: { admin: true } } },
      });
      await store.save([report]);

      const stored = await raw.collection('tripwire_events').findOne({ _id: report.id as never });
      const storedBody = (stored?.request as { body: Record<string, unknown> }).body;
      expect(Object.keys(storedBody).some((k) => k.startsWith('$') || k.includes('.'))).to.equal(false);

      const [event] = (await store.listEvents(fingerprint)).events;
      expect((event.request as typeof report.request)?.body).to.deep.equal(body);
      expect((event.request as typeof report.request)?.query).to.deep.equal({ 'x.y': '1', $or: '[]' });
      expect((event.error as typeof report.error)?.extra).to.deep.equal({ $set: { admin: true } });
    });

    it('never lets a fingerprint act as an operator', async () => {
      const operator = { $ne: null } as unknown as string;
      expect(await store.getIssue('error', operator)).to.equal(null);
      expect((await store.listEvents(operator)).events).to.deep.equal([]);
      expect(await store.setStatus('error', operator, 'resolved')).to.equal(null);
      expect(await store.getEvent(operator)).to.equal(null);
      expect(await store.findEvents({ requestId: operator })).to.deep.equal([]);
      expect((await store.listIssues({ status: 'resolved' })).issues).to.satisfy((issues: unknown[]) => issues.length <= 1);
      expect((await store.listIssues({ q: { $gt: '' } as never, environment: { $ne: null } as never })).issues).to.deep.equal([]);

      // A report whose fingerprint is an object is stored under its string form, as data.
      const [outcome] = await store.save([makeReport({ fingerprint: operator })]);
      expect(outcome.fingerprint).to.equal('[object Object]');
      expect(await store.getIssue('error', '[object Object]')).to.include({ count: 1 });
    });
  });


  describe('documents MongoDB refuses', () => {
    it('stores keys holding NUL bytes (which the driver cannot write) as data, and restores them', async () => {
      const fingerprint = nextFingerprint();
      const base = makeReport({ fingerprint });
      const query = { 'a\u0000b': '1', '\u0000$where.x': 'y' };
      const report = makeReport({ fingerprint, request: { ...(base.request as NonNullable<typeof base.request>), query } });
      expect((await store.save([report]))[0]).to.include({ added: 1 });
      const [event] = (await store.listEvents(fingerprint)).events;
      expect((event.request as typeof report.request)?.query).to.deep.equal(query);
    });

    it('repairs a document over the size limit and stores it cut and marked, with the rest of its batch', async () => {
      const fingerprint = nextFingerprint();
      const base = makeReport({ fingerprint });
      const bulky = makeReport({ fingerprint, request: { ...(base.request as NonNullable<typeof base.request>), body: 'x'.repeat(17 * 1024 * 1024) } });
      const logger = capturingLogger();
      const repairing = new MongoStore({ uri, logger });
      try {
        const [outcome] = await repairing.save([makeReport({ fingerprint }), bulky]);
        expect(outcome).to.include({ added: 2, count: 2, isNew: true });
        const stored = await repairing.getEvent(bulky.id);
        expect(String((stored?.request as { body?: unknown }).body)).to.match(/^x{8192}…\[truncated: \d+ more characters\]$/);
        expect((stored?.error as { extra?: Record<string, unknown> }).extra?.tripwireRepaired).to.match(/long strings cut/);
        expect(logger.lines.filter((l) => /storing it repaired/.test(l))).to.have.length(1);
        expect(logger.lines.join('\n')).to.not.include('xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx');
      } finally {
        await repairing.close();
      }
    });
  });

  describe('broken links', () => {
    it('counts hits per link with up to 5 user agent samples, and stores no events', async () => {
      const url = `/old-page-${Date.now()}`;
      const reports = Array.from({ length: 7 }, (_, i) => {
        const r = makeBrokenLinkReport(url, 'https://elsewhere.example/links');
        return { ...r, request: { ...(r.request as NonNullable<typeof r.request>), userAgent: `agent-${i}` } };
      });
      expect((await store.save(reports.slice(0, 4)))[0]).to.include({ added: 4, count: 4, isNew: true });
      await store.save(reports.slice(2));
      await store.save(reports);
      const link = await store.getIssue('broken-link', `link:${url}`);
      expect(link).to.include({ url, count: 7 });
      expect(link?.userAgents).to.deep.equal(['agent-0', 'agent-1', 'agent-2', 'agent-3', 'agent-4']);
      expect(await raw.collection('tripwire_events').countDocuments({ fingerprint: `link:${url}` })).to.equal(0);
    });

    it('gives broken links stored before they had a status the status open', async () => {
      const names = { events: 'legacy_events', issues: 'legacy_issues', brokenLinks: 'legacy_links', meta: 'legacy_meta' };
      await raw.collection('legacy_links').insertOne({ _id: 'link:/legacy' as never, url: '/legacy', referer: 'r', count: 2, lastSeen: new Date(), firstSeen: new Date() });
      const legacy = new MongoStore({ uri, logger: silentLogger, collections: names });
      try {
        await legacy.save([makeReport({ fingerprint: nextFingerprint() })]);
        expect((await legacy.listIssues({ kind: 'broken-link' })).issues.map((i) => i.fingerprint)).to.deep.equal(['link:/legacy']);
      } finally {
        await legacy.close();
      }
    });
  });

  describe('indexes', () => {
    it('creates the indexes its listings and look-ups use', async () => {
      await store.save([makeReport({ fingerprint: nextFingerprint() }), makeBrokenLinkReport('/indexed', 'https://r.example/')]);
      const keys = async (name: string) => (await raw.collection(name).indexes()).map((i) => JSON.stringify(i.key));
      const groupIndexes = ['{"status":1,"lastSeen":-1}', '{"status":1,"firstSeen":-1}', '{"status":1,"count":-1}', '{"environments":1,"lastSeen":-1}', '{"releases":1,"lastSeen":-1}', '{"lastSeen":-1}'];
      expect(await keys('tripwire_issues')).to.include.members(groupIndexes);
      expect(await keys('tripwire_broken_links')).to.include.members(groupIndexes);
      expect(await keys('tripwire_events')).to.include.members(['{"fingerprint":1,"timestamp":-1}', '{"request.requestId":1}', '{"timestamp":1}']);
    });
  });

  describe('retention', () => {
    it('expires events past retentionDays (a TTL index, and a prune), and groups last seen before it', async () => {
      const clock = new FakeClock(Date.UTC(2030, 0, 31));
      const names = { events: 'ttl_events', issues: 'ttl_issues', brokenLinks: 'ttl_links', meta: 'ttl_meta' };
      const dedicated = new MongoStore({ uri, retentionDays: 7, collections: names, logger: silentLogger, clock });
      try {
        const fingerprint = nextFingerprint();
        const day = 86_400_000;
        const old = makeReport({ fingerprint, timestamp: new Date(clock.now() - 8 * day).toISOString() });
        const recent = makeReport({ fingerprint, timestamp: new Date(clock.now() - 6 * day).toISOString() });
        // The save prunes (at most hourly): the old event goes at once, the issue keeps its count.
        await dedicated.save([old, recent]);
        const indexes = await raw.collection('ttl_events').indexes();
        expect(indexes.find((i) => i.name === 'timestamp_ttl')?.expireAfterSeconds).to.equal(7 * 86_400);
        expect((await dedicated.listEvents(fingerprint)).events.map((e) => e.id)).to.deep.equal([recent.id]);
        expect(await dedicated.getIssue('error', fingerprint)).to.include({ count: 2 });
        // Two days later the other one is past the retention too.
        await clock.advance(2 * day);
        expect(await dedicated.prune()).to.equal(1);
        expect(await raw.collection('ttl_events').countDocuments({ fingerprint })).to.equal(0);
        // Last seen 8 days ago now: the issue goes with its events.
        expect(await dedicated.getIssue('error', fingerprint)).to.equal(null);
        expect(await raw.collection('ttl_issues').countDocuments({ _id: fingerprint as never })).to.equal(0);
      } finally {
        await dedicated.close();
      }
    });

    it('prunes on a save by the save\'s now (SavePolicy.now), so a delivery whose clock is behind the store\'s keeps what it files', async () => {
      const day = 86_400_000;
      const clock = new FakeClock(Date.UTC(2030, 0, 31));
      const names = { events: 'ttl_lag_events', issues: 'ttl_lag_issues', brokenLinks: 'ttl_lag_links', meta: 'ttl_lag_meta' };
      const dedicated = new MongoStore({ uri, retentionDays: 7, collections: names, logger: silentLogger, clock });
      try {
        const fingerprint = nextFingerprint();
        const now = new Date(clock.now() - 30 * day);
        const report = makeReport({ fingerprint, timestamp: new Date(now.getTime() - day).toISOString() });
        await dedicated.save([report], { now, maxClockSkewMs: 60_000, maxNewGroupsPerHour: { error: 500, 'broken-link': 500 } });
        expect(await raw.collection('ttl_lag_events').countDocuments({ fingerprint })).to.equal(1);
        expect(await dedicated.getIssue('error', fingerprint)).to.include({ count: 1 });
      } finally {
        await dedicated.close();
      }
    });
  });

  describe('connection', () => {
    it('reuses an app connection and leaves it open on close', async () => {
      const app = await mongoose.createConnection(uri).asPromise();
      try {
        const shared = new MongoStore({ connection: app, logger: silentLogger, idleCloseMs: 1 });
        const fingerprint = nextFingerprint();
        await shared.save([makeReport({ fingerprint })]);
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(app.readyState, 'an app connection is never closed for idleness').to.equal(1);
        await shared.close();
        expect(app.readyState).to.equal(1);
        expect(await app.collection('tripwire_issues').countDocuments({ _id: fingerprint as never })).to.equal(1);
      } finally {
        await app.close();
      }
    });

    it('closes its own connection once idle and opens it again on the next call', async () => {
      const clock = new FakeClock();
      const idle = new MongoStore({ uri, logger: silentLogger, clock, idleCloseMs: 5000 });
      try {
        const fingerprint = nextFingerprint();
        expect(idle.connection.readyState, 'opened on first use, not before').to.equal(0);
        await idle.save([makeReport({ fingerprint })]);
        expect(idle.connection.readyState).to.equal(1);
        await clock.advance(4999);
        expect(idle.connection.readyState).to.equal(1);
        await clock.advance(1);
        await eventually(() => idle.connection.readyState === 0, { what: 'the idle connection closed' });
        expect((await idle.save([makeReport({ fingerprint })]))[0]).to.include({ added: 1, count: 2 });
        expect(await idle.getIssue('error', fingerprint)).to.include({ count: 2 });
        expect(idle.connection.readyState).to.equal(1);
      } finally {
        await idle.close();
      }
      expect(idle.connection.readyState).to.equal(0);
    });

    it('never cuts short a command sent through its connection directly', async () => {
      const clock = new FakeClock();
      const idle = new MongoStore({ uri, logger: silentLogger, clock, idleCloseMs: 1000 });
      try {
        await idle.save([makeReport({ fingerprint: nextFingerprint() })]);
        const client = idle.connection.getClient();
        const started = once(client, 'connectionCheckOutStarted');
        const counting = idle.connection.collection('tripwire_events').countDocuments({});
        await started;
        await clock.advance(10_000);
        expect(await counting).to.be.above(0);
        await clock.advance(1000);
        await eventually(() => idle.connection.readyState === 0, { what: 'the idle connection closed' });
      } finally {
        await idle.close();
      }
    });

    it('lets a process that saved one report exit by itself', async () => {
      const child = spawn(process.execPath, ['--require', 'tsx/cjs', path.join(repoRoot, 'spec', 'support', 'storeChild.ts')], {
        cwd: repoRoot, env: { ...process.env, STORE_CHILD_URI: uri }, stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk) => { output += chunk; });
      child.stderr.on('data', (chunk) => { output += chunk; });
      // Generous: tsx compiles the child on a loaded machine; the store itself lets go after idleCloseMs (5 s).
      const deadline = setTimeout(() => child.kill('SIGKILL'), 90_000);
      const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('exit', (c, s) => resolve([c, s])));
      clearTimeout(deadline);
      expect({ code, signal }, output).to.deep.equal({ code: 0, signal: null });
      expect(output).to.include('saved 1');
    });

    it('fails a save without crashing while the server is unreachable, and tries again on the next', async () => {
      const port = await new Promise<number>((resolve) => {
        const srv = net.createServer().listen(0, '127.0.0.1', () => {
          const { port } = srv.address() as net.AddressInfo;
          srv.close(() => resolve(port));
        });
      });
      const logger = capturingLogger();
      const down = new MongoStore({ uri: `mongodb://127.0.0.1:${port}/${DB}`, serverSelectionTimeoutMS: 300, logger });
      try {
        let failure: unknown;
        await down.save([makeReport()]).catch((err: unknown) => { failure = err; });
        expect(failure).to.be.instanceOf(Error);
        expect(isPermanentStoreError(failure), 'unreachable is transient').to.equal(false);
        await down.save([makeReport()]).catch(() => undefined);
        expect(logger.lines.filter((l) => /unreachable/.test(l)).length).to.be.at.least(2);
      } finally {
        await down.close();
      }
    });
  });
});
