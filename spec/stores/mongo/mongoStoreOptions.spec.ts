// How MongoStore reads its options; what the store then does with them is in MongoStore.spec.ts.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { mongoStoreDefaults, mongoStoreSettings, type MongoStoreOptions } from '../../../lib/stores/mongo/mongoStoreOptions';
import { silentLogger } from '../../../lib/core/logger';
import { FakeClock } from '../../support/fakeClock';

const uri = 'mongodb://127.0.0.1:27017/app';
const read = (options: unknown) => () => mongoStoreSettings(options as MongoStoreOptions);

describe('mongoStoreOptions', () => {
  describe('defaults', () => {
    it('fills every option left out, or given as undefined, from the defaults', () => {
      expect(mongoStoreSettings({ uri })).to.deep.equal({ ...mongoStoreDefaults, uri });
      expect(mongoStoreSettings({ uri, retentionDays: undefined, idleCloseMs: undefined, collections: undefined })).to.deep.equal({ ...mongoStoreDefaults, uri });
    });

    it('keeps what is given over the defaults, and the default name of each collection not renamed', () => {
      const clock = new FakeClock();
      const settings = mongoStoreSettings({ uri, retentionDays: 0.5, idleCloseMs: 1, serverSelectionTimeoutMS: 250, logger: silentLogger, clock, collections: { events: 'app_events', meta: undefined } });
      expect(settings).to.deep.include({ retentionDays: 0.5, idleCloseMs: 1, serverSelectionTimeoutMS: 250, logger: silentLogger, clock });
      expect(settings.collections).to.deep.equal({ ...mongoStoreDefaults.collections, events: 'app_events' });
    });

    it("leaves the caller's options and the defaults as they were", () => {
      const options = { uri, collections: { issues: 'app_issues' } };
      const settings = mongoStoreSettings(options);
      settings.collections.events = 'changed';
      expect(options).to.deep.equal({ uri, collections: { issues: 'app_issues' } });
      expect(mongoStoreDefaults.collections.events).to.equal('tripwire_events');
      expect(mongoStoreSettings({ uri }).collections.events).to.equal('tripwire_events');
    });
  });

  describe('the way to the database', () => {
    it('takes a mongodb:// or mongodb+srv:// URI, or a mongoose Connection, unopened or not', () => {
      expect(mongoStoreSettings({ uri: 'mongodb+srv://cluster0.example.net/app' }).uri).to.equal('mongodb+srv://cluster0.example.net/app');
      const connection = mongoose.createConnection();
      const settings = mongoStoreSettings({ connection });
      expect(settings.connection).to.equal(connection);
      expect(settings.uri).to.equal(undefined);
    });

    it('needs exactly one of uri and connection, and says so', () => {
      for (const options of [{}, [], { uri: undefined, connection: undefined }, { uri, connection: mongoose.createConnection() }]) {
        expect(read(options), JSON.stringify(Object.keys(options))).to.throw(TypeError, /^MongoStore: give exactly one of `uri` or `connection`$/);
      }
    });

    it('refuses options that are not an object, naming the two ways', () => {
      for (const options of [undefined, null, uri, 42]) {
        expect(read(options), String(options)).to.throw(TypeError, /^MongoStore: options must be an object with `uri` or `connection`$/);
      }
    });

    it('refuses a uri of another scheme or type, naming the schemes it takes', () => {
      for (const bad of ['http://127.0.0.1:27017/app', '127.0.0.1:27017', 'mongodb:/app', '', 27017, null]) {
        expect(read({ uri: bad }), String(bad)).to.throw(TypeError, /^MongoStore: `uri` must be a mongodb:\/\/ or mongodb\+srv:\/\/ URI$/);
      }
    });

    it('refuses a connection that is not a mongoose Connection', () => {
      for (const bad of [null, {}, { model: 'x' }, 'mongodb://127.0.0.1/app']) {
        expect(read({ connection: bad }), JSON.stringify(bad)).to.throw(TypeError, /^MongoStore: `connection` must be a mongoose Connection$/);
      }
    });
  });

  describe('bounds', () => {
    it('takes any positive number of retention days, fractions too, and refuses the rest with a RangeError', () => {
      expect(mongoStoreSettings({ uri, retentionDays: 1 / 24 }).retentionDays).to.equal(1 / 24);
      for (const bad of [0, -1, Number.NaN, Infinity, '30', null]) {
        expect(read({ uri, retentionDays: bad }), String(bad)).to.throw(RangeError, /^MongoStore: `retentionDays` must be a positive number$/);
      }
    });

    it('takes serverSelectionTimeoutMS and idleCloseMs as positive whole milliseconds only', () => {
      for (const key of ['serverSelectionTimeoutMS', 'idleCloseMs']) {
        expect(mongoStoreSettings({ uri, [key]: 1 })).to.have.property(key, 1);
        for (const bad of [0, -5, 2.5, '5000', Number.NaN, null]) {
          expect(read({ uri, [key]: bad }), `${key}: ${String(bad)}`).to.throw(RangeError, new RegExp(`^MongoStore: \`${key}\` must be a positive integer$`));
        }
      }
    });

    it('refuses a logger or a clock missing one of its methods, naming the methods', () => {
      expect(read({ uri, logger: { info() {}, error() {} } })).to.throw(TypeError, /^MongoStore: `logger` must have info, warn and error methods$/);
      expect(read({ uri, logger: null })).to.throw(TypeError, /`logger`/);
      expect(read({ uri, clock: { now: () => 0, setTimeout: () => 0 } })).to.throw(TypeError, /^MongoStore: `clock` must have now, setTimeout and clearTimeout$/);
      expect(read({ uri, clock: Date })).to.throw(TypeError, /`clock`/);
    });
  });

  describe('collections', () => {
    it('refuses a collections value that is not an object', () => {
      for (const bad of [null, 'tripwire', 3]) {
        expect(read({ uri, collections: bad }), String(bad)).to.throw(TypeError, /^MongoStore: `collections` must be an object$/);
      }
    });

    it('refuses an empty name, a name with $ and a name that is not a string, naming the collection', () => {
      expect(read({ uri, collections: { issues: '' } })).to.throw(TypeError, /^MongoStore: `collections.issues` must be a non-empty collection name$/);
      expect(read({ uri, collections: { brokenLinks: 'links$v2' } })).to.throw(TypeError, /`collections.brokenLinks`/);
      expect(read({ uri, collections: { meta: null } })).to.throw(TypeError, /`collections.meta`/);
    });

    it('refuses two collections under one name, a default name included', () => {
      expect(read({ uri, collections: { issues: 'tripwire_events' } })).to.throw(TypeError, /^MongoStore: `collections` names must be distinct$/);
      expect(read({ uri, collections: { events: 'shared', meta: 'shared' } })).to.throw(TypeError, /distinct/);
      expect(mongoStoreSettings({ uri, collections: { events: 'tripwire_issues', issues: 'tripwire_events' } }).collections)
        .to.include({ events: 'tripwire_issues', issues: 'tripwire_events' });
    });
  });

  describe('unknown keys', () => {
    it('names the option meant, before any other complaint', () => {
      // `url` for `uri`: the fix is the spelling, not "give exactly one of uri or connection".
      expect(read({ url: uri })).to.throw(TypeError, /^MongoStore: unknown option `url`; did you mean `uri`\?/);
      expect(read({ uri, idleCloseMS: 0 })).to.throw(TypeError, /unknown option `idleCloseMS`; did you mean `idleCloseMs`\?/);
      expect(read({ uri, collections: { broken_links: 'x' } })).to.throw(TypeError, /^MongoStore collections: unknown option `broken_links`; did you mean `brokenLinks`\?/);
    });

    it('lists the known options when nothing known is close', () => {
      expect(read({ uri, database: 'app' })).to.throw(TypeError,
        /^MongoStore: unknown option `database` \(known: uri, connection, collections, retentionDays, serverSelectionTimeoutMS, idleCloseMs, logger, clock\)$/);
      expect(read({ uri, collections: { alerts: 'x' } })).to.throw(TypeError, /\(known: events, issues, brokenLinks, meta\)$/);
    });
  });
});
