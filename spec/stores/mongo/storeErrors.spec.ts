import { expect } from 'chai';
import { mongo } from 'mongoose';
import { asStoreError, isDocumentFailure, isIndexConflict, isTransientFailure, writeErrorsOf } from '../../../lib/stores/mongo/storeErrors';
import { isPermanentStoreError, PermanentStoreError } from '../../../lib/contracts/store';

const named = (name: string, message: string, extra: object = {}) => Object.assign(new Error(message), { name }, extra);

function thrownBy(work: () => unknown): unknown {
  try {
    work();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('storeErrors', () => {
  it('takes BSON serialisation, size and validation failures as document failures', () => {
    const nulKey = thrownBy(() => mongo.BSON.serialize({ 'a\u0000b': 1 }));
    expect(nulKey).to.be.instanceOf(mongo.BSON.BSONError);
    expect(isDocumentFailure(nulKey)).to.equal(true);
    expect(isDocumentFailure(new mongo.MongoInvalidArgumentError('Document is larger than the maximum size 16777216'))).to.equal(true);
    expect(isDocumentFailure(new mongo.MongoServerError({ code: 121, errmsg: 'Document failed validation' }))).to.equal(true);
    expect(isDocumentFailure(new mongo.MongoServerError({ code: 10334, errmsg: 'BSONObj size: 17000000 is invalid' }))).to.equal(true);
  });

  it('takes network, server selection, failover, write concern and shutdown failures as transient', () => {
    expect(isDocumentFailure(new mongo.MongoNetworkError('connection 1 to 127.0.0.1:27017 closed'))).to.equal(false);
    expect(isDocumentFailure(new mongo.MongoServerSelectionError('Server selection timed out after 300 ms', {} as never))).to.equal(false);
    expect(isDocumentFailure(new mongo.MongoServerError({ code: 10107, errmsg: 'not primary' }))).to.equal(false);
    expect(isDocumentFailure(new mongo.MongoServerError({ code: 64, errmsg: 'waiting for replication timed out' }))).to.equal(false);
    expect(isDocumentFailure(new mongo.MongoServerError({ code: 91, errmsg: 'The server is in quiesce mode and will shut down' }))).to.equal(false);
    expect(isDocumentFailure(new Error('MongoDB is unreachable'))).to.equal(false);
  });

  it('wraps a document failure in a PermanentStoreError with its cause, and passes anything else through', () => {
    const cause = new mongo.MongoServerError({ code: 121, errmsg: 'Document failed validation' });
    const wrapped = asStoreError(cause, 'the events') as Error;
    expect(isPermanentStoreError(wrapped)).to.equal(true);
    expect(wrapped.cause).to.equal(cause);
    expect(wrapped.message).to.match(/refused the events: Document failed validation/);
    const network = new mongo.MongoNetworkError('reset');
    expect(asStoreError(network, 'the events')).to.equal(network);
  });

  it('reads the per-document errors of a bulk write, whatever shape the driver gives them', () => {
    expect(writeErrorsOf({ writeErrors: [{ code: 11000, index: 2, errmsg: 'dup' }] })).to.deep.equal([{ code: 11000, index: 2, errmsg: 'dup' }]);
    expect(writeErrorsOf({ writeErrors: { err: { code: 121, index: 0, errmsg: 'invalid' } } })).to.deep.equal([{ code: 121, index: 0, errmsg: 'invalid' }]);
    expect(writeErrorsOf(new Error('no write errors'))).to.equal(null);
    expect(writeErrorsOf(null)).to.equal(null);
  });

  describe('isTransientFailure', () => {
    it("takes the driver's network, server selection and pool errors as transient by their class or name, whatever their message", () => {
      // The driver words a server selection error after the monitor's last error.
      expect(isTransientFailure(new mongo.MongoServerSelectionError('connection <monitor> to 127.0.0.1:27017 closed', {} as never))).to.equal(true);
      expect(isTransientFailure(new mongo.MongoNetworkError('connection 4 to 127.0.0.1:27017 closed'))).to.equal(true);
      expect(isTransientFailure(new mongo.MongoNetworkTimeoutError('connection 4 to 127.0.0.1:27017 timed out'))).to.equal(true);
      expect(isTransientFailure(named('MongoPoolClearedError', 'Connection pool for 127.0.0.1:27017 was cleared because another operation failed with: "connection 2 closed"'))).to.equal(true);
      expect(isTransientFailure(named('MongoWaitQueueTimeoutError', 'Timed out while checking out a connection from connection pool'))).to.equal(true);
      expect(isTransientFailure(new mongo.MongoTopologyClosedError())).to.equal(true);
    });

    it('takes the server codes of a failover or a shutdown as transient', () => {
      expect(isTransientFailure(new mongo.MongoServerError({ code: 10107, errmsg: 'not primary' }))).to.equal(true);
      expect(isTransientFailure(new mongo.MongoServerError({ code: 91, errmsg: 'The server is in quiesce mode and will shut down' }))).to.equal(true);
      expect(isTransientFailure(new mongo.MongoServerError({ code: 11600, errmsg: 'interrupted at shutdown' }))).to.equal(true);
    });

    it('takes anything else as lasting, whatever its message says, and never throws', () => {
      expect(isTransientFailure(new mongo.MongoServerError({ code: 67, errmsg: 'cannot create an index over a network ECONNRESET field' }))).to.equal(false);
      expect(isTransientFailure(new mongo.MongoServerError({ code: 86, errmsg: 'An existing index has the same name as the requested index' }))).to.equal(false);
      expect(isTransientFailure(new Error('server unreachable, timed out'))).to.equal(false);
      expect(isTransientFailure(null)).to.equal(false);
      expect(isTransientFailure('MongoNetworkError')).to.equal(false);
      expect(isTransientFailure(new Proxy({}, { get() { throw new Error('getter'); } }))).to.equal(false);
    });
  });

  describe('isIndexConflict', () => {
    // The server's replies as mongod words them (mongo-java-server answers only the second, 86).
    const reply = (code: number, codeName: string, errmsg: string) => new mongo.MongoServerError({ ok: 0, code, codeName, errmsg });

    it('takes an equivalent index under another name, or one of the same name with other options or keys, as a conflict', () => {
      expect(isIndexConflict(reply(85, 'IndexOptionsConflict', 'Index already exists with a different name: fingerprint_asc_timestamp_desc'))).to.equal(true);
      expect(isIndexConflict(reply(85, 'IndexOptionsConflict', 'An equivalent index already exists with the same name but different options. Requested index: { v: 2, key: { timestamp: 1 }, name: "timestamp_ttl", expireAfterSeconds: 604800 }'))).to.equal(true);
      expect(isIndexConflict(reply(86, 'IndexKeySpecsConflict', 'An existing index has the same name as the requested index. Requested index: { v: 2, key: { request.requestId: 1 }, name: "request.requestId_1", sparse: true }'))).to.equal(true);
    });

    it('takes anything else as no conflict', () => {
      expect(isIndexConflict(reply(67, 'CannotCreateIndex', 'cannot create an index'))).to.equal(false);
      expect(isIndexConflict(reply(10107, 'NotWritablePrimary', 'not primary'))).to.equal(false);
      expect(isIndexConflict(new mongo.MongoNetworkError('connection 1 to 127.0.0.1:27017 closed'))).to.equal(false);
      expect(isIndexConflict(new Error('Index already exists with a different name: x_1'))).to.equal(false);
      expect(isIndexConflict(null)).to.equal(false);
    });
  });

  describe('by name, code and message, whatever class the driver gave', () => {
    it('recognises failures that concern the document itself', () => {
      expect(isDocumentFailure(new PermanentStoreError('refused'))).to.equal(true);
      expect(isDocumentFailure({ permanent: true })).to.equal(true);
      expect(isDocumentFailure(named('BSONError', 'key a\u0000b must not contain null bytes'))).to.equal(true);
      expect(isDocumentFailure(named('BSONVersionError', 'unsupported BSON version'))).to.equal(true);
      expect(isDocumentFailure(named('ValidationError', 'Event validation failed: id: Path `id` is required.'))).to.equal(true);
      expect(isDocumentFailure(named('MongoServerError', 'object to insert too large', { code: 10334 }))).to.equal(true);
      expect(isDocumentFailure(named('MongoServerError', "Document can't have $ prefixed field names", { code: 2 }))).to.equal(true);
      expect(isDocumentFailure(named('MongoInvalidArgumentError', 'Document is larger than the maximum size 16777216'))).to.equal(true);
      // What the BSON serialiser throws for a document over its 17 MiB buffer.
      expect(isDocumentFailure(Object.assign(new RangeError('The value of "offset" is out of range. It must be >= 0 && <= 17825792. Received 17825794'), { code: 'ERR_OUT_OF_RANGE' }))).to.equal(true);
      expect(isDocumentFailure(named('MongoBulkWriteError', 'write failed', { writeErrors: [{ code: 121, errmsg: 'Document failed validation' }] }))).to.equal(true);
      expect(isDocumentFailure(named('Error', 'wrapped', { cause: named('BSONError', 'bad key') }))).to.equal(true);
    });

    it('takes everything else as transient, whatever its message says', () => {
      expect(isDocumentFailure(new Error('connect ECONNREFUSED 127.0.0.1:27017'))).to.equal(false);
      expect(isDocumentFailure(new Error('store did not answer within 30000 ms'))).to.equal(false);
      expect(isDocumentFailure(named('MongoServerSelectionError', 'Server selection timed out after 30000 ms'))).to.equal(false);
      expect(isDocumentFailure(named('MongoNetworkError', 'document is too large', { code: 2 }))).to.equal(false);
      expect(isDocumentFailure(named('MongoServerError', 'not primary', { code: 10107 }))).to.equal(false);
      expect(isDocumentFailure(named('MongoWriteConcernError', 'waiting for replication timed out', { code: 64 }))).to.equal(false);
      expect(isDocumentFailure(named('MongoServerError', 'interrupted at shutdown', { code: 11600 }))).to.equal(false);
      expect(isDocumentFailure(new RangeError('Invalid array length'))).to.equal(false);
      expect(isDocumentFailure(null)).to.equal(false);
      expect(isDocumentFailure('boom')).to.equal(false);
    });

    it('never throws, whatever was thrown', () => {
      const hostile = new Proxy({}, { get() { throw new Error('getter'); } });
      expect(isDocumentFailure(hostile)).to.equal(false);
      const loop: { cause?: unknown } = {};
      loop.cause = loop;
      expect(isDocumentFailure(loop)).to.equal(false);
    });
  });
});
