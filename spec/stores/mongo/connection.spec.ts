// StoreConnection on its own, against the live server, its idle close on a FakeClock.
// Through MongoStore (saves reopening it, commands sent directly, a child process exiting)
// it is in MongoStore.spec.ts.
import { expect } from 'chai';
import mongoose, { type Connection } from 'mongoose';
import { StoreConnection } from '../../../lib/stores/mongo/connection';
import { mongoUri } from '../../support/mongoServer';
import { dropDatabase } from '../../support/documents';
import { startMongoProxy } from '../../support/drillProxy';
import { eventually } from '../../support/eventually';
import { FakeClock } from '../../support/fakeClock';
import { recordingLogger } from '../../support/recordingLogger';

const DB = 'tripwire_spec_connection';
const IDLE_MS = 5000;
const DISCONNECTED = 0;
const CONNECTED = 1;
const DISCONNECTING = 3;
const UNREACHABLE = 'MongoDB is unreachable; reports wait in the outbox until it answers';

/** A promise the spec settles: work that stays in progress until released. */
function gate() {
  let release!: () => void;
  const released = new Promise<void>((resolve) => { release = resolve; });
  return { released, release };
}

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  return promise.then(() => { throw new Error('expected a rejection'); }, (err: Error) => err);
}

describe('StoreConnection', function () {
  this.timeout(60_000);
  let uri: string;
  const links: StoreConnection[] = [];

  before(async () => { uri = await mongoUri(DB); });
  afterEach(async () => { await Promise.all(links.splice(0).map((link) => link.close())); });
  after(() => dropDatabase(uri));

  function open(settings: { uri?: string; connection?: Connection; serverSelectionTimeoutMS?: number } = {}) {
    const clock = new FakeClock();
    const logger = recordingLogger();
    const link = new StoreConnection({ uri: settings.connection ? undefined : uri, serverSelectionTimeoutMS: 5000, idleCloseMs: IDLE_MS, logger, clock, ...settings });
    links.push(link);
    const ping = () => link.use(async () => (await link.connection.db!.admin().ping()).ok);
    return { link, clock, logger, ping };
  }

  describe('a connection of its own (from uri)', () => {
    it('opens on first use, not before, and answers what the work resolves or rejects', async () => {
      const { link, ping } = open();
      expect(link.isOpen).to.equal(false);
      expect(link.connection.readyState).to.equal(DISCONNECTED);
      expect(await ping()).to.equal(1);
      expect(link.isOpen).to.equal(true);
      const failure = new Error('the work failed');
      expect(await rejectionOf(link.use(async () => { throw failure; }))).to.equal(failure);
      expect(await link.use(async () => 'still usable')).to.equal('still usable');
    });

    it('closes once idle for idleCloseMs of its clock, each use starting the count again', async () => {
      const { link, clock, ping } = open();
      await ping();
      await clock.advance(IDLE_MS - 1000);
      await ping();
      await clock.advance(IDLE_MS - 1);
      expect(link.isOpen, `${2 * IDLE_MS - 1001} ms after the first use, ${IDLE_MS - 1} after the last`).to.equal(true);
      await clock.advance(1);
      expect(link.isOpen).to.equal(false);
      await eventually(() => link.connection.readyState === DISCONNECTED, { what: 'the idle connection closed' });
    });

    it('never closes under a use in progress, however long it takes, and counts idleness from its end', async () => {
      const { link, clock } = open();
      const pinged = gate();
      const slow = gate();
      const using = link.use(async () => {
        await link.connection.db!.admin().ping();
        pinged.release();
        await slow.released;
        return 'done';
      });
      await pinged.released;
      await clock.advance(10 * IDLE_MS);
      expect(link.isOpen, 'the use is still in progress').to.equal(true);
      slow.release();
      expect(await using).to.equal('done');
      await clock.advance(IDLE_MS - 1);
      expect(link.isOpen).to.equal(true);
      await clock.advance(1);
      expect(link.isOpen).to.equal(false);
    });

    it('opens again for the next use after an idle close, even one that comes while the close is under way', async () => {
      const { link, clock, ping } = open();
      await ping();
      // The moment the close starts (and not yet done), a use comes in.
      let during: Promise<number> | undefined;
      let seen: { isOpen: boolean; readyState: number } | undefined;
      link.connection.once('disconnecting', () => queueMicrotask(() => {
        seen = { isOpen: link.isOpen, readyState: link.connection.readyState };
        during = ping();
      }));
      await clock.advance(IDLE_MS);
      expect(seen, 'a use came in while closing').to.deep.equal({ isOpen: false, readyState: DISCONNECTING });
      expect(await during).to.equal(1);
      expect(link.isOpen).to.equal(true);
      expect(link.connection.readyState).to.equal(CONNECTED);
    });

    it('fails a use while the server cannot be reached, warns, and tries again on the next use', async () => {
      const proxy = await startMongoProxy(uri);
      expect(proxy, 'a proxy in front of the spec server').to.not.equal(null);
      try {
        proxy!.cut();
        const { link, clock, logger, ping } = open({ uri: proxy!.uri, serverSelectionTimeoutMS: 2000 });
        let ran = false;
        const failure = await rejectionOf(link.use(async () => { ran = true; }));
        expect(failure.message).to.equal('MongoDB is unreachable');
        expect(ran, 'the work never ran').to.equal(false);
        // (mongoose may also emit the failure as a connection error, logged as a warning too)
        expect(logger.lines.filter((l) => l.message === UNREACHABLE)).to.have.length(1);
        expect(logger.lines.every((l) => l.level === 'warn')).to.equal(true);
        expect({ isOpen: link.isOpen, timers: clock.pending }).to.deep.equal({ isOpen: false, timers: 0 });
        proxy!.restore();
        expect(await ping()).to.equal(1);
        expect(link.isOpen).to.equal(true);
        await link.close();
      } finally {
        await proxy!.close();
      }
    });
  });

  describe('close', () => {
    it('closes its own connection, leaves no timer behind, and refuses every later use without running it', async () => {
      const { link, clock, ping } = open();
      await ping();
      expect(clock.pending, 'the idle count is running').to.equal(1);
      await link.close();
      expect(clock.pending).to.equal(0);
      expect(link.connection.readyState).to.equal(DISCONNECTED);
      let ran = false;
      expect((await rejectionOf(link.use(async () => { ran = true; }))).message).to.equal('MongoStore is closed');
      expect(ran).to.equal(false);
      expect(link.connection.readyState, 'not reopened').to.equal(DISCONNECTED);
    });

    it('resolves at once for a connection never opened, without opening it', async () => {
      const { link } = open();
      await link.close();
      expect(link.connection.readyState).to.equal(DISCONNECTED);
    });
  });

  describe("an app's connection", () => {
    it('is used as it is: never closed for idleness nor on close, yet refused to the store after close', async () => {
      const app = await mongoose.createConnection(uri).asPromise();
      try {
        const { link, clock, ping } = open({ connection: app });
        expect(link.isOpen, 'open from the start').to.equal(true);
        expect(await ping()).to.equal(1);
        expect(clock.pending, 'no idle count at all').to.equal(0);
        await clock.advance(10 * IDLE_MS);
        expect(app.readyState).to.equal(CONNECTED);
        await link.close();
        expect(app.readyState).to.equal(CONNECTED);
        expect((await rejectionOf(ping())).message).to.equal('MongoStore is closed');
        expect((await app.db!.admin().ping()).ok, 'the app goes on using it').to.equal(1);
      } finally {
        await app.close();
      }
    });
  });
});
