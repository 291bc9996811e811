// EventRetention on its own, against the live server: the TTL index it settles and what a
// prune deletes. Retention seen through saves is in MongoStore.spec.ts and the store contract.
import { expect } from 'chai';
import mongoose, { type Connection } from 'mongoose';
import { EventRetention } from '../../../lib/stores/mongo/retention';
import { StoreMeta } from '../../../lib/stores/mongo/storeMeta';
import { rawCollection, tripwireModels, type CollectionNames } from '../../../lib/stores/mongo/schemas';
import { mongoUri } from '../../support/mongoServer';
import { startMongoProxy } from '../../support/drillProxy';
import { FakeClock } from '../../support/fakeClock';
import { recordingLogger, type RecordingLogger } from '../../support/recordingLogger';

const DB = 'tripwire_spec_retention';
const DAY = 86_400_000;
const HOUR = 3_600_000;
const TTL_WARNING = 'could not create the events TTL index; old events are pruned on saves instead';
const THEIRS_WARNING = "an index of the app's own stands where the events TTL index goes, so the server cannot expire events; old events are pruned on saves instead (drop that index and restart to let the server expire them)";

describe('EventRetention', function () {
  this.timeout(60_000);
  let uri: string;
  let connection: Connection;
  let seq = 0;

  before(async () => {
    uri = await mongoUri(DB);
    connection = await mongoose.createConnection(uri, { bufferCommands: false }).asPromise();
    await connection.dropDatabase();
  });

  after(async () => {
    await connection?.dropDatabase();
    await connection?.close();
  });

  /** A retention over collections of its own unless `names` are given (on `on`, the spec's connection unless given). */
  function setup(retentionDays: number, { on = connection, clock = new FakeClock(Date.UTC(2030, 5, 1, 12, 30)), names = freshNames() } = {}) {
    const models = tripwireModels(on, names);
    const logger: RecordingLogger = recordingLogger();
    const retention = new EventRetention(models, new StoreMeta(rawCollection(models.meta)), retentionDays, logger, clock);
    const raw = (name: keyof CollectionNames) => connection.collection(names[name]);
    const ttlIndexes = async () => (await raw('events').indexes()).filter((i) => i.name === 'timestamp_ttl');
    const ids = async (name: keyof CollectionNames) => (await raw(name).find({}, { projection: { _id: 1 } }).toArray()).map((d) => String(d._id)).sort();
    return { retention, clock, logger, raw, ttlIndexes, ids, names };
  }

  function freshNames(): CollectionNames {
    const n = ++seq;
    return { events: `r${n}_events`, issues: `r${n}_issues`, brokenLinks: `r${n}_links`, meta: `r${n}_meta` };
  }

  describe('ensureIndex', () => {
    it('creates a TTL index on the event timestamp expiring retentionDays (in whole seconds) after it, and settles', async () => {
      const { retention, ttlIndexes, logger } = setup(1.5);
      expect(await retention.ensureIndex()).to.equal(true);
      const [ttl, ...others] = await ttlIndexes();
      expect(others).to.deep.equal([]);
      expect(ttl).to.deep.include({ key: { timestamp: 1 }, expireAfterSeconds: 129_600 });
      expect(logger.lines).to.deep.equal([]);
    });

    it('settles again without a warning on a second run, by this instance or another with the same retention', async () => {
      const first = setup(7);
      expect(await first.retention.ensureIndex()).to.equal(true);
      expect(await first.retention.ensureIndex()).to.equal(true);
      const other = setup(7, { names: first.names });
      expect(await other.retention.ensureIndex()).to.equal(true);
      expect((await first.ttlIndexes()).map((i) => i.expireAfterSeconds)).to.deep.equal([7 * 86_400]);
      expect([...first.logger.lines, ...other.logger.lines]).to.deep.equal([]);
    });

    it('meets a same-named index made with other options by changing its expiry in place, or, where the server cannot, keeping it and saying so', async () => {
      const { retention, raw, ttlIndexes, logger } = setup(7);
      // An index of that name, unique, expiring after an hour: a conflict on every server.
      await raw('events').createIndex({ timestamp: 1 }, { name: 'timestamp_ttl', unique: true, expireAfterSeconds: 3600 });
      expect(await retention.ensureIndex()).to.equal(true);
      const messages = logger.lines.map((l) => l.message);
      expect(messages).to.not.include(TTL_WARNING);
      const kept = messages.includes('could not change the events TTL; existing retention kept');
      // mongod changes it with collMod; a server without collMod leaves it as it was.
      expect((await ttlIndexes()).map((i) => i.expireAfterSeconds)).to.deep.equal([kept ? 3600 : 7 * 86_400]);
    });

    it('meets an index on the timestamp under another name by leaving it alone and saying that saves prune, without a collMod on an index that is not there', async () => {
      const { retention, raw, ttlIndexes, logger } = setup(7);
      await raw('events').createIndex({ timestamp: 1 }, { name: 'apps_own_timestamp' });
      const before = await raw('events').indexes();
      expect(await retention.ensureIndex()).to.equal(true);
      const after = await raw('events').indexes();
      if ((await ttlIndexes()).length === 0) {
        // The server refused a second index on those keys (mongod: IndexOptionsConflict).
        expect(after).to.deep.equal(before);
        expect(logger.lines.map((l) => [l.level, l.message, l.fields])).to.deep.equal([[
          'warn',
          THEIRS_WARNING,
          { index: 'apps_own_timestamp' },
        ]]);
      } else {
        // A server that keeps both indexes built ours beside the app's, and has nothing to say.
        expect((await ttlIndexes()).map((i) => i.expireAfterSeconds)).to.deep.equal([7 * 86_400]);
        expect(logger.lines).to.deep.equal([]);
      }
      expect(logger.lines.map((l) => l.message)).to.not.include('could not change the events TTL; existing retention kept');
    });

    it('meets an index of the app\'s own under its name on other keys by leaving it alone and saying that saves prune, never changing its expiry', async () => {
      const { retention, raw, logger } = setup(7);
      // Unique as well, so that every server sees the conflict (mongo-java-server lets a second index share a name when only the keys differ).
      await raw('events').createIndex({ createdAt: 1 }, { name: 'timestamp_ttl', unique: true });
      const before = await raw('events').indexes();
      expect(await retention.ensureIndex()).to.equal(true);
      expect(await raw('events').indexes()).to.deep.equal(before);
      expect(logger.lines.map((l) => [l.level, l.message, l.fields])).to.deep.equal([['warn', THEIRS_WARNING, { index: 'timestamp_ttl' }]]);
    });

    it('resolves false, to be tried again later, while the server refuses connections', async () => {
      const proxy = await startMongoProxy(uri);
      expect(proxy, 'a proxy in front of the spec server').to.not.equal(null);
      const through = await mongoose.createConnection(proxy!.uri, { bufferCommands: false, serverSelectionTimeoutMS: 2000, heartbeatFrequencyMS: 500 }).asPromise();
      try {
        const { retention, logger } = setup(7, { on: through });
        const refused = new Promise<void>((resolve) => through.getClient().on('serverHeartbeatFailed', (event) => {
          if (/ECONNREFUSED/.test(String(event.failure?.message))) resolve();
        }));
        // Nothing listens any more, as when the database host's server is down; the client has been refused.
        await proxy!.close();
        await refused;
        expect(await retention.ensureIndex()).to.equal(false);
        expect(logger.lines.map((l) => l.message)).to.deep.equal([TTL_WARNING]);
      } finally {
        await through.close();
      }
    });

    it('resolves false while the server drops every connection, whatever the message says, and settles once it answers again', async () => {
      const proxy = await startMongoProxy(uri);
      expect(proxy, 'a proxy in front of the spec server').to.not.equal(null);
      const through = await mongoose.createConnection(proxy!.uri, { bufferCommands: false, serverSelectionTimeoutMS: 2000, heartbeatFrequencyMS: 500 }).asPromise();
      try {
        const { retention, logger, ttlIndexes } = setup(7, { on: through });
        const dropped = new Promise<void>((resolve) => through.getClient().on('serverHeartbeatFailed', () => resolve()));
        // Accepted, then closed at once: the driver's error then says only "connection … closed".
        proxy!.cut();
        await dropped;
        expect(await retention.ensureIndex()).to.equal(false);
        expect(logger.lines.map((l) => l.message)).to.deep.equal([TTL_WARNING]);
        expect(String(logger.lines[0].fields?.error), 'a message the old pattern missed').to.not.match(/unreachable|timed out|ECONN|network/i);
        proxy!.restore();
        expect(await retention.ensureIndex()).to.equal(true);
        expect(await ttlIndexes()).to.have.length(1);
      } finally {
        await through.close();
        await proxy!.close();
      }
    });
  });

  describe('prune', () => {
    it('deletes the events older than retentionDays before now and the groups last seen before that, keeping the ones at the cutoff', async () => {
      const { retention, clock, raw, ids } = setup(7);
      const cutoff = clock.now() - 7 * DAY;
      const at = (ms: number) => new Date(ms);
      await raw('events').insertMany([
        { _id: 'before', fingerprint: 'f', timestamp: at(cutoff - 1) }, { _id: 'cutoff', fingerprint: 'f', timestamp: at(cutoff) }, { _id: 'after', fingerprint: 'f', timestamp: at(cutoff + DAY) },
      ] as never[]);
      for (const name of ['issues', 'brokenLinks'] as const) {
        await raw(name).insertMany([{ _id: 'stale', lastSeen: at(cutoff - 1) }, { _id: 'cutoff', lastSeen: at(cutoff) }] as never[]);
      }
      expect(await retention.prune(), 'the events deleted').to.equal(1);
      expect(await ids('events')).to.deep.equal(['after', 'cutoff']);
      expect(await ids('issues')).to.deep.equal(['cutoff']);
      expect(await ids('brokenLinks')).to.deep.equal(['cutoff']);
      expect(await retention.prune(), 'nothing left to delete').to.equal(0);
    });

    it("takes the store clock's now unless given one, and deletes the new-group counters of past hours", async () => {
      const { retention, clock, raw, ids } = setup(7);
      const hour = Math.floor(clock.now() / HOUR) * HOUR;
      await raw('events').insertOne({ _id: 'old', fingerprint: 'f', timestamp: new Date(clock.now() - 10 * DAY) } as never);
      await raw('meta').insertMany([
        { _id: 'two-hours-ago', count: 1, hour: new Date(hour - 2 * HOUR) }, { _id: 'last-hour', count: 1, hour: new Date(hour - HOUR) },
        { _id: 'this-hour', count: 1, hour: new Date(hour) }, { _id: 'visitor-key', key: 'k' },
      ] as never[]);
      expect(await retention.prune(new Date(clock.now() - 30 * DAY)), 'a month ago, nothing was old').to.equal(0);
      expect(await ids('meta')).to.have.length(4);
      expect(await retention.prune()).to.equal(1);
      expect(await ids('meta')).to.deep.equal(['last-hour', 'this-hour', 'visitor-key']);
    });
  });

  describe('pruneIfDue', () => {
    it('prunes on the first save, then at most once per hour of the store clock', async () => {
      const { retention, clock, raw, ids } = setup(7);
      const old = () => raw('events').insertOne({ _id: `old-${clock.now()}`, fingerprint: 'f', timestamp: new Date(clock.now() - 8 * DAY) } as never);
      await old();
      await retention.pruneIfDue(new Date(clock.now()));
      expect(await ids('events'), 'the first save prunes').to.deep.equal([]);
      await old();
      await clock.advance(HOUR - 1);
      await retention.pruneIfDue(new Date(clock.now()));
      expect(await ids('events'), 'within the hour: not again').to.have.length(1);
      await clock.advance(1);
      await retention.pruneIfDue(new Date(clock.now()));
      expect(await ids('events'), 'an hour on').to.deep.equal([]);
    });

    it("cuts off by the save's now, not the store clock's, so a save dated behind the store keeps what it files", async () => {
      const { retention, clock, raw, ids } = setup(7);
      const saveNow = new Date(clock.now() - 30 * DAY);
      await raw('events').insertMany([
        { _id: 'filed', fingerprint: 'f', timestamp: new Date(saveNow.getTime() - DAY) },
        { _id: 'old-for-the-save', fingerprint: 'f', timestamp: new Date(saveNow.getTime() - 8 * DAY) },
      ] as never[]);
      await retention.pruneIfDue(saveNow);
      expect(await ids('events')).to.deep.equal(['filed']);
    });

    it('never throws into a save: a failed prune warns and is tried again on the next save, due or not', async () => {
      const own = await mongoose.createConnection(uri, { bufferCommands: false }).asPromise();
      try {
        const { retention, clock, raw, ids, logger } = setup(7, { on: own });
        await raw('events').insertOne({ _id: 'old', fingerprint: 'f', timestamp: new Date(clock.now() - 8 * DAY) } as never);
        await own.close();
        await retention.pruneIfDue(new Date(clock.now()));
        expect(logger.lines.map((l) => [l.level, l.message])).to.deep.equal([['warn', 'pruning old events failed; will retry']]);
        expect(await ids('events')).to.deep.equal(['old']);
        await own.openUri(uri, { bufferCommands: false });
        await retention.pruneIfDue(new Date(clock.now()));
        expect(await ids('events')).to.deep.equal([]);
        expect(logger.lines).to.have.length(1);
      } finally {
        await own.close();
      }
    });
  });
});
