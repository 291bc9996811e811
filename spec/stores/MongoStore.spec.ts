import { expect } from 'chai';
import mongoose, { type Connection } from 'mongoose';
import net from 'node:net';
import { MongoStore } from '../../lib/stores/MongoStore';
import { silentLogger } from '../../lib/core/logger';
import type { Logger } from '../../lib/core/logger';
import { mongoUri } from '../support/mongoServer';
import { makeBrokenLinkReport, makeReport } from '../support/reports';
import { eventually } from '../support/eventually';

const DB = 'tripwire_mongostore_spec';

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

    it('rejects a bad retentionDays, timeout or collection name', () => {
      expect(() => new MongoStore({ connection: raw, retentionDays: 0 })).to.throw(RangeError, /retentionDays/);
      expect(() => new MongoStore({ connection: raw, serverSelectionTimeoutMS: -1 })).to.throw(RangeError, /serverSelectionTimeoutMS/);
      expect(() => new MongoStore({ connection: raw, collections: { events: '' } })).to.throw(TypeError, /collections\.events/);
      expect(() => new MongoStore({ connection: raw, collections: { events: 'same', issues: 'same' } })).to.throw(TypeError, /distinct/);
    });
  });

  it('stores one report as one event and one issue', async () => {
    const fingerprint = nextFingerprint();
    const report = makeReport({ fingerprint });
    const outcomes = await store.save([report]);
    expect(outcomes).to.deep.equal([{ kind: 'error', fingerprint, added: 1, count: 1, isNew: true, regressed: false }]);

    const events = await store.listEvents(fingerprint);
    expect(events.map((e) => e._id)).to.deep.equal([report.id]);
    expect(events[0]).to.include({ fingerprint, kind: 'error', title: 'TypeError: boom', status: 500, host: 'spec-host' });
    expect(events[0].timestamp).to.be.instanceOf(Date);

    const issue = await store.getIssue(fingerprint);
    expect(issue).to.include({ _id: fingerprint, count: 1, status: 'open', type: 'TypeError', message: 'boom', lastEventId: report.id });
    expect(issue?.culprit).to.equal('handler (/app/routes/users.ts:42)');
    expect(issue?.firstSeen.toISOString()).to.equal(report.timestamp);
    expect(issue).not.to.have.property('recentIds');
  });

  it('counts a tally for the occurrences it stands for, stores it as one event, and not twice on replay', async () => {
    const fingerprint = nextFingerprint();
    const first = makeReport({ fingerprint });
    const tally = { ...makeReport({ fingerprint }), occurrences: 250 };
    expect(await store.save([first, tally])).to.deep.equal([{ kind: 'error', fingerprint, added: 251, count: 251, isNew: true, regressed: false }]);
    expect((await store.save([tally]))[0]).to.include({ added: 0, count: 251 });
    const events = await store.listEvents(fingerprint);
    expect(events.map((e) => [e._id, e.occurrences]).sort()).to.deep.equal([[first.id, 1], [tally.id, 250]].sort());
    expect((await store.getIssue(fingerprint))?.count).to.equal(251);
  });

  it('counts 50 occurrences in several batches on one issue', async () => {
    const fingerprint = nextFingerprint();
    const reports = Array.from({ length: 50 }, () => makeReport({ fingerprint }));
    const outcomes = [];
    for (let i = 0; i < 50; i += 15) outcomes.push(...await store.save(reports.slice(i, i + 15)));
    expect(outcomes.map((o) => o.added)).to.deep.equal([15, 15, 15, 5]);
    expect(outcomes.map((o) => o.isNew)).to.deep.equal([true, false, false, false]);
    expect(outcomes.at(-1)?.count).to.equal(50);
    expect((await store.getIssue(fingerprint))?.count).to.equal(50);
    expect(await raw.collection('tripwire_events').countDocuments({ fingerprint })).to.equal(50);
  });

  it('saves a replayed batch once: no duplicate events, no double count', async () => {
    const fingerprint = nextFingerprint();
    const batch = Array.from({ length: 5 }, () => makeReport({ fingerprint }));
    const first = await store.save(batch);
    const replay = await store.save(batch);
    expect(first[0]).to.include({ added: 5, count: 5, isNew: true });
    expect(replay[0]).to.include({ added: 0, count: 5, isNew: false });
    // A batch overlapping an earlier one counts only its new reports.
    const overlap = [...batch.slice(3), makeReport({ fingerprint })];
    expect((await store.save(overlap))[0]).to.include({ added: 1, count: 6 });
    expect(await raw.collection('tripwire_events').countDocuments({ fingerprint })).to.equal(6);
  });

  it('counts a replayed report whose event was stored but not yet counted (crash between the writes)', async () => {
    const fingerprint = nextFingerprint();
    const report = makeReport({ fingerprint });
    await raw.collection('tripwire_events').insertOne({ _id: report.id as never, fingerprint, kind: 'error', timestamp: new Date() });
    const [outcome] = await store.save([report]);
    expect(outcome).to.include({ added: 1, count: 1, isNew: true });
    expect(await raw.collection('tripwire_events').countDocuments({ fingerprint })).to.equal(1);
  });

  it('reopens a resolved issue once, as a regression', async () => {
    const fingerprint = nextFingerprint();
    await store.save([makeReport({ fingerprint })]);
    expect(await store.resolve(fingerprint)).to.equal(true);
    const resolved = await store.getIssue(fingerprint);
    expect(resolved).to.include({ status: 'resolved' });
    expect(resolved?.resolvedAt).to.be.instanceOf(Date);

    const other = new MongoStore({ uri, logger: silentLogger });
    try {
      const outcomes = (await Promise.all([
        store.save([makeReport({ fingerprint })]),
        other.save([makeReport({ fingerprint })]),
        store.save([makeReport({ fingerprint })]),
      ])).flat();
      expect(outcomes.filter((o) => o.regressed)).to.have.length(1);
      const reopened = await store.getIssue(fingerprint);
      expect(reopened).to.include({ status: 'open', count: 4 });
      expect(reopened?.regressedAt).to.be.instanceOf(Date);
      const [later] = await store.save([makeReport({ fingerprint })]);
      expect(later.regressed).to.equal(false);
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
      expect((await store.getIssue(fingerprint))?.count).to.equal(60);
    } finally {
      await other.close();
    }
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

    it('holds back a new issue from a window alert: the creator announces it', async () => {
      const fingerprint = nextFingerprint();
      const [outcome] = await store.save([makeReport({ fingerprint }), makeReport({ fingerprint })]);
      expect(outcome.isNew).to.equal(true);
      const ledger = store.alertLedger('error');
      const now = new Date();
      const racer = await ledger.record({ kind: 'error', fingerprint, occurrences: 1, force: false, now, windowMs: 60_000 });
      expect(racer).to.deep.equal({ send: false, suppressed: 0 });
      const creator = await ledger.record({ kind: 'error', fingerprint, occurrences: 2, force: true, now, windowMs: 60_000 });
      expect(creator).to.deep.equal({ send: true, suppressed: 1 });
      // The creator's second occurrence is held back for the digest.
      expect((await ledger.claimDigest('error', fingerprint, new Date(now.getTime() + 60_000), 60_000)).suppressed).to.equal(1);
      expect((await ledger.claimDigest('error', fingerprint, new Date(now.getTime() + 120_000), 60_000)).suppressed).to.equal(0);
    });
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

      const [event] = await store.listEvents(fingerprint);
      expect((event.request as typeof report.request)?.body).to.deep.equal(body);
      expect((event.request as typeof report.request)?.query).to.deep.equal({ 'x.y': '1', $or: '[]' });
      expect((event.error as typeof report.error)?.extra).to.deep.equal({ $set: { admin: true } });
    });

    it('never lets a fingerprint act as an operator', async () => {
      const operator = { $ne: null } as unknown as string;
      expect(await store.getIssue(operator)).to.equal(null);
      expect(await store.listEvents(operator)).to.deep.equal([]);
      expect(await store.resolve(operator)).to.equal(false);
      expect(await store.listIssues({ status: 'resolved' })).to.satisfy((issues: unknown[]) => issues.length <= 1);

      // A report whose fingerprint is an object is stored under its string form, as data.
      const [outcome] = await store.save([makeReport({ fingerprint: operator })]);
      expect(outcome.fingerprint).to.equal('[object Object]');
      expect(await store.getIssue('[object Object]')).to.include({ count: 1 });
    });
  });

  describe('query helpers', () => {
    it('list issues by last seen, filter by status and clamp limits', async () => {
      const older = nextFingerprint();
      const newer = nextFingerprint();
      await store.save([makeReport({ fingerprint: older, timestamp: new Date(Date.now() + 60_000).toISOString() })]);
      await store.save([makeReport({ fingerprint: newer, timestamp: new Date(Date.now() + 120_000).toISOString() })]);
      const top = await store.listIssues({ limit: 2 });
      expect(top.map((i) => i._id)).to.deep.equal([newer, older]);
      expect(await store.listIssues({ limit: 0 })).to.have.length(1);
      expect((await store.listIssues({ limit: 100_000 })).length).to.be.greaterThan(5);

      await store.resolve(older);
      const resolved = await store.listIssues({ status: 'resolved' });
      expect(resolved.map((i) => i._id)).to.include(older);
      expect(resolved.every((i) => i.status === 'resolved')).to.equal(true);
      expect((await store.listIssues({ status: 'open' })).map((i) => i._id)).not.to.include(older);
      expect(await store.resolve('no-such-issue')).to.equal(false);
    });

    it('lists events newest first', async () => {
      const fingerprint = nextFingerprint();
      const times = [3, 1, 2].map((m) => new Date(Date.UTC(2030, 0, 1, 0, m)).toISOString());
      await store.save(times.map((timestamp) => makeReport({ fingerprint, timestamp })));
      const events = await store.listEvents(fingerprint, { limit: 2 });
      expect(events.map((e) => e.timestamp.toISOString())).to.deep.equal([times[0], times[2]]);
    });
  });

  describe('broken links', () => {
    it('counts hits per link with up to 5 user agent samples, and stores no events', async () => {
      const url = `/old-page-${Date.now()}`;
      const reports = Array.from({ length: 7 }, (_, i) => {
        const r = makeBrokenLinkReport(url, 'https://elsewhere.example/links');
        return { ...r, request: { ...(r.request as NonNullable<typeof r.request>), userAgent: `agent-${i}` } };
      });
      const first = await store.save(reports.slice(0, 4));
      expect(first).to.deep.equal([{ kind: 'broken-link', fingerprint: `link:${url}`, added: 4, count: 4, isNew: true, regressed: false }]);
      await store.save(reports.slice(2));
      await store.save(reports);

      const links = await store.listBrokenLinks();
      const link = links.find((l) => l._id === `link:${url}`);
      expect(link).to.include({ url, referer: 'https://elsewhere.example/links', internal: false, count: 7 });
      expect(link?.userAgents).to.deep.equal(['agent-0', 'agent-1', 'agent-2', 'agent-3', 'agent-4']);
      expect(await raw.collection('tripwire_events').countDocuments({ fingerprint: `link:${url}` })).to.equal(0);

      const busier = `/busier-${Date.now()}`;
      await store.save(Array.from({ length: 9 }, () => makeBrokenLinkReport(busier, 'http://127.0.0.1/home')));
      const ordered = await store.listBrokenLinks({ limit: 500 });
      const counts = ordered.map((l) => l.count);
      expect(counts).to.deep.equal([...counts].sort((a, b) => b - a));
      expect(ordered.find((l) => l.url === busier)).to.include({ internal: true, count: 9 });
    });
  });

  it('keeps events for retentionDays (TTL index, or a prune when the server refuses TTL)', async () => {
    const logger = capturingLogger();
    const dedicated = new MongoStore({ uri, retentionDays: 7, collections: { events: 'ttl_events', issues: 'ttl_issues', brokenLinks: 'ttl_links' }, logger });
    try {
      await dedicated.save([makeReport({ fingerprint: nextFingerprint() })]);
      await eventually(async () => {
        const indexes = await raw.collection('ttl_events').indexes();
        return indexes.some((i) => i.expireAfterSeconds === 7 * 86_400) || logger.lines.some((l) => /TTL indexes unsupported/.test(l));
      }, { what: 'a TTL index or the prune fallback' });
      const indexes = await raw.collection('ttl_events').indexes();
      expect(indexes.some((i) => JSON.stringify(i.key) === JSON.stringify({ fingerprint: 1, timestamp: -1 }))).to.equal(true);
    } finally {
      await dedicated.close();
    }
  });

  it('reuses an app connection and leaves it open on close', async () => {
    const app = await mongoose.createConnection(uri).asPromise();
    try {
      const shared = new MongoStore({ connection: app, logger: silentLogger });
      const fingerprint = nextFingerprint();
      await shared.save([makeReport({ fingerprint })]);
      await shared.close();
      expect(app.readyState).to.equal(1);
      expect(await app.collection('tripwire_issues').countDocuments({ _id: fingerprint as never })).to.equal(1);
    } finally {
      await app.close();
    }
  });

  it('fails a save without crashing while the server is unreachable', async () => {
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
      // A second save tries to connect again instead of failing on a dead connection forever.
      await down.save([makeReport()]).catch(() => undefined);
      expect(logger.lines.filter((l) => /unreachable/.test(l)).length).to.be.at.least(2);
    } finally {
      await down.close();
    }
  });
});
