// Indexes on its own, against the live server: what exists after setup, how often it asks
// the server, and what a conflicting index does. The indexes a save leaves are also checked
// through MongoStore in MongoStore.spec.ts.
import { expect } from 'chai';
import mongoose, { type Connection } from 'mongoose';
import { Indexes } from '../../../lib/stores/mongo/indexes';
import { EventRetention } from '../../../lib/stores/mongo/retention';
import { StoreMeta } from '../../../lib/stores/mongo/storeMeta';
import { rawCollection, tripwireModels, type CollectionNames } from '../../../lib/stores/mongo/schemas';
import { mongoUri } from '../../support/mongoServer';
import { startMongoProxy } from '../../support/drillProxy';
import { eventually } from '../../support/eventually';
import { FakeClock } from '../../support/fakeClock';
import { recordingLogger } from '../../support/recordingLogger';

const DB = 'tripwire_spec_indexes';
const RETENTION_DAYS = 30;
const RETRY_MS = 60_000;
const WARNING = 'could not set up the tripwire indexes; will retry in a minute';
const CONFLICT_WARNING = 'a tripwire index conflicts with an index already on the collection; drop that one (the error names it) and the next start builds ours';
const TTL_WARNING = 'could not create the events TTL index; old events are pruned on saves instead';
const GROUP_KEYS: Array<Record<string, number>> = [
  { status: 1, lastSeen: -1 }, { status: 1, firstSeen: -1 }, { status: 1, count: -1 },
  { environments: 1, lastSeen: -1 }, { releases: 1, lastSeen: -1 }, { lastSeen: -1 },
];

describe('Indexes', function () {
  this.timeout(60_000);
  let connection: Connection;
  /** The collection of every createIndexes command the server was sent, in order. */
  const created: string[] = [];
  let seq = 0;

  before(async () => {
    connection = await mongoose.createConnection(await mongoUri(DB), { bufferCommands: false, monitorCommands: true }).asPromise();
    await connection.dropDatabase();
    connection.getClient().on('commandStarted', (event) => {
      if (event.commandName === 'createIndexes') created.push(String(event.command.createIndexes));
    });
  });

  after(async () => {
    await connection?.dropDatabase();
    await connection?.close();
  });

  function freshNames(): CollectionNames {
    const n = ++seq;
    return { events: `i${n}_events`, issues: `i${n}_issues`, brokenLinks: `i${n}_links`, meta: `i${n}_meta` };
  }

  /** An Indexes over collections of its own unless `names` are given (on `on`, the spec's connection unless given), with its clock and logger. */
  function setup(names = freshNames(), on = connection) {
    const models = tripwireModels(on, names);
    const clock = new FakeClock();
    const logger = recordingLogger();
    const retention = new EventRetention(models, new StoreMeta(rawCollection(models.meta)), RETENTION_DAYS, logger, clock);
    const sent = () => created.filter((name) => Object.values(names).includes(name)).length;
    return { indexes: new Indexes(models, retention, logger, clock), names, clock, logger, sent };
  }

  /** Each index of a collection as key, name and the options that matter here, sorted. */
  async function indexesOf(collection: string) {
    return (await connection.collection(collection).indexes())
      .map(({ key, name, unique, sparse, expireAfterSeconds }) => JSON.stringify({ key, name, unique: unique ?? false, sparse: sparse ?? false, expireAfterSeconds }))
      .sort();
  }
  const described = (key: Record<string, number>, options: { name?: string; unique?: boolean; sparse?: boolean; expireAfterSeconds?: number } = {}) => JSON.stringify({
    key, name: options.name ?? Object.entries(key).map(([field, order]) => `${field}_${order}`).join('_'),
    unique: options.unique ?? false, sparse: options.sparse ?? false, expireAfterSeconds: options.expireAfterSeconds,
  });

  it('creates exactly the indexes the listings, look-ups and retention use, and logs nothing', async () => {
    const { indexes, names, logger } = setup();
    await indexes.ensure();
    expect(await indexesOf(names.events)).to.deep.equal([
      described({ _id: 1 }, { name: '_id_' }),
      described({ fingerprint: 1, timestamp: -1 }),
      described({ 'request.requestId': 1 }, { sparse: true }),
      described({ timestamp: 1 }, { name: 'timestamp_ttl', expireAfterSeconds: RETENTION_DAYS * 86_400 }),
    ].sort());
    const groups = [described({ _id: 1 }, { name: '_id_' }), ...GROUP_KEYS.map((key) => described(key))].sort();
    expect(await indexesOf(names.issues)).to.deep.equal(groups);
    expect(await indexesOf(names.brokenLinks)).to.deep.equal(groups);
    expect(logger.lines).to.deep.equal([]);
  });

  it('asks the server once for saves that ask at once, and never again once every index is built', async () => {
    const single = setup();
    await single.indexes.ensure();
    const concurrent = setup();
    await Promise.all([concurrent.indexes.ensure(), concurrent.indexes.ensure(), concurrent.indexes.ensure()]);
    expect(concurrent.sent(), 'three saves at once cost what one does').to.equal(single.sent());
    await concurrent.clock.advance(RETRY_MS * 10);
    await concurrent.indexes.ensure();
    expect(concurrent.sent()).to.equal(single.sent());
  });

  it('settles a second run on the same collections, as after a restart, with no warning and no index changed', async () => {
    const first = setup();
    await first.indexes.ensure();
    const before = await Promise.all(Object.values(first.names).map(indexesOf));
    const second = setup(first.names);
    await second.indexes.ensure();
    expect(await Promise.all(Object.values(first.names).map(indexesOf))).to.deep.equal(before);
    expect(second.logger.lines).to.deep.equal([]);
    // Built at last: this instance does not ask again either.
    const sent = second.sent();
    await second.clock.advance(RETRY_MS);
    await second.indexes.ensure();
    expect(second.sent()).to.equal(sent);
  });

  describe('a conflicting index already there', () => {
    it('warns once, naming the collection, the index and the fix, builds every other index, and leaves that one as it was', async () => {
      const { indexes, names, logger } = setup();
      // A request id index of the same name made with other options (unique): a conflict on every server.
      await connection.collection(names.events).createIndex({ 'request.requestId': 1 }, { unique: true });
      await indexes.ensure();
      expect(logger.lines.map((l) => [l.level, l.message])).to.deep.equal([['warn', CONFLICT_WARNING]]);
      expect(logger.lines[0].fields).to.deep.include({ collection: names.events, index: { 'request.requestId': 1 } });
      expect(String(logger.lines[0].fields?.error), 'the error names the index to drop').to.include('request.requestId_1');
      expect(await indexesOf(names.events)).to.deep.equal([
        described({ _id: 1 }, { name: '_id_' }),
        described({ fingerprint: 1, timestamp: -1 }),
        described({ 'request.requestId': 1 }, { unique: true }),
        described({ timestamp: 1 }, { name: 'timestamp_ttl', expireAfterSeconds: RETENTION_DAYS * 86_400 }),
      ].sort());
      expect(await indexesOf(names.issues)).to.have.length(GROUP_KEYS.length + 1);
    });

    it('is not tried again, since no retry can build it, and the next start builds it once that index is dropped', async () => {
      const { indexes, names, logger, clock, sent } = setup();
      await connection.collection(names.events).createIndex({ 'request.requestId': 1 }, { unique: true });
      const before = sent();
      await indexes.ensure();
      const once = sent() - before;
      expect(once, 'the first try asked the server').to.be.above(0);
      await clock.advance(RETRY_MS * 10);
      await indexes.ensure();
      expect(sent() - before, 'ten minutes on, not asked again').to.equal(once);
      expect(logger.lines).to.have.length(1);
      await connection.collection(names.events).dropIndex({ 'request.requestId': 1 } as never);
      const restarted = setup(names);
      await restarted.indexes.ensure();
      expect(await indexesOf(names.events)).to.include(described({ 'request.requestId': 1 }, { sparse: true }));
      expect(restarted.logger.lines).to.deep.equal([]);
    });
  });

  it('tries again a minute later on the clock, not on every save, after a failure a retry can mend', async () => {
    const proxy = await startMongoProxy(await mongoUri(DB));
    expect(proxy, 'a proxy in front of the spec server').to.not.equal(null);
    const through = await mongoose.createConnection(proxy!.uri, { bufferCommands: false, monitorCommands: true, serverSelectionTimeoutMS: 1000, heartbeatFrequencyMS: 500 }).asPromise();
    try {
      let sent = 0;
      through.getClient().on('commandStarted', (event) => { if (event.commandName === 'createIndexes') sent++; });
      const { indexes, names, logger, clock } = setup(freshNames(), through);
      const dropped = new Promise<void>((resolve) => through.getClient().on('serverHeartbeatFailed', () => resolve()));
      proxy!.cut();
      await dropped;
      await indexes.ensure();
      const warned = logger.lines.map((l) => l.message);
      // One line for all the steps that failed alike, not one per index.
      expect([...warned].sort()).to.deep.equal([WARNING, TTL_WARNING].sort());
      expect(logger.lines.find((l) => l.message === WARNING)?.fields).to.include({ failed: 2 + 2 * GROUP_KEYS.length + 1, of: 2 + 2 * GROUP_KEYS.length + 1 });
      proxy!.restore();
      await clock.advance(RETRY_MS - 1);
      await indexes.ensure();
      expect({ sent, lines: logger.lines.length }, 'within the minute the save goes on without asking').to.deep.equal({ sent: 0, lines: warned.length });
      await clock.advance(1);
      await indexes.ensure();
      expect(await indexesOf(names.events)).to.include(described({ 'request.requestId': 1 }, { sparse: true }));
      expect(await indexesOf(names.brokenLinks)).to.have.length(GROUP_KEYS.length + 1);
      expect(logger.lines, 'no warning once it answers').to.have.length(warned.length);
      // Built at last: the tries stop.
      const built = sent;
      await clock.advance(RETRY_MS);
      await indexes.ensure();
      expect(sent).to.equal(built);
    } finally {
      await through.close();
      await proxy!.close();
    }
  });

  it('gives broken links stored before they had a status the status open, and changes no other status', async () => {
    const { indexes, names } = setup();
    const links = connection.collection(names.brokenLinks);
    await links.insertMany([{ _id: 'link:/legacy', count: 1 }, { _id: 'link:/fixed', count: 1, status: 'resolved' }] as never[]);
    await indexes.ensure();
    const statuses = Object.fromEntries((await links.find({}).toArray()).map((d) => [String(d._id), d.status]));
    expect(statuses).to.deep.equal({ 'link:/legacy': 'open', 'link:/fixed': 'resolved' });
  });

  it('sets that status only once the broken-link index builds are done, even when the pool could send them all at once', async () => {
    // A pool with a connection ready for every command: nothing but Indexes itself keeps the update from racing the builds.
    const POOL = 20;
    const pooled = mongoose.createConnection(await mongoUri(DB), { bufferCommands: false, monitorCommands: true, minPoolSize: POOL, maxPoolSize: POOL });
    let ready = 0;
    pooled.getClient().on('connectionReady', () => { ready++; });
    await pooled.asPromise();
    try {
      await eventually(() => ready >= POOL, { what: 'the pool filled' });
      const names = freshNames();
      await pooled.collection(names.brokenLinks).insertOne({ _id: 'link:/legacy', count: 1 } as never);
      const { indexes, logger } = setup(names, pooled);
      // What reached the server about the broken links, in order, as "createIndexes started" or "update done".
      const seen: string[] = [];
      const ours = new Set<number>();
      const client = pooled.getClient();
      client.on('commandStarted', (event) => {
        if (event.command[event.commandName] !== names.brokenLinks) return;
        ours.add(event.requestId);
        seen.push(`${event.commandName} started`);
      });
      client.on('commandSucceeded', (event) => { if (ours.has(event.requestId)) seen.push(`${event.commandName} done`); });
      client.on('commandFailed', (event) => { if (ours.has(event.requestId)) seen.push(`${event.commandName} failed`); });
      await indexes.ensure();
      const update = seen.indexOf('update started');
      expect(update, 'the legacy status update was sent').to.be.above(-1);
      expect(seen.slice(0, update).filter((s) => s === 'createIndexes done'), 'every build finished before the update').to.have.length(GROUP_KEYS.length);
      expect(seen.slice(update).filter((s) => s.startsWith('createIndexes'))).to.deep.equal([]);
      expect(logger.lines).to.deep.equal([]);
      expect((await pooled.collection(names.brokenLinks).findOne({ _id: 'link:/legacy' as never }))?.status).to.equal('open');
    } finally {
      await pooled.close();
    }
  });
});
