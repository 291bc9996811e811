import { expect } from 'chai';
import { isDocumentError } from '../../lib/delivery/storeErrors';
import { PermanentStoreError } from '../../lib/ports';

const named = (name: string, message: string, extra: object = {}) => Object.assign(new Error(message), { name }, extra);

describe('isDocumentError', () => {
  it('recognises failures that concern the document itself', () => {
    expect(isDocumentError(new PermanentStoreError('refused'))).to.equal(true);
    expect(isDocumentError({ permanent: true })).to.equal(true);
    expect(isDocumentError(named('BSONError', 'key a\u0000b must not contain null bytes'))).to.equal(true);
    expect(isDocumentError(named('BSONVersionError', 'unsupported BSON version'))).to.equal(true);
    expect(isDocumentError(named('ValidationError', 'Event validation failed: id: Path `id` is required.'))).to.equal(true);
    expect(isDocumentError(named('MongoServerError', 'object to insert too large', { code: 10334 }))).to.equal(true);
    expect(isDocumentError(named('MongoServerError', "Document can't have $ prefixed field names", { code: 2 }))).to.equal(true);
    expect(isDocumentError(named('MongoInvalidArgumentError', 'Document is larger than the maximum size 16777216'))).to.equal(true);
    // What the BSON serialiser throws for a document over its 17 MiB buffer.
    expect(isDocumentError(Object.assign(new RangeError('The value of "offset" is out of range. It must be >= 0 && <= 17825792. Received 17825794'), { code: 'ERR_OUT_OF_RANGE' }))).to.equal(true);
    expect(isDocumentError(named('MongoBulkWriteError', 'write failed', { writeErrors: [{ code: 121, errmsg: 'Document failed validation' }] }))).to.equal(true);
    expect(isDocumentError(named('Error', 'wrapped', { cause: named('BSONError', 'bad key') }))).to.equal(true);
  });

  it('takes everything else as transient, whatever its message says', () => {
    expect(isDocumentError(new Error('connect ECONNREFUSED 127.0.0.1:27017'))).to.equal(false);
    expect(isDocumentError(new Error('store did not answer within 30000 ms'))).to.equal(false);
    expect(isDocumentError(named('MongoServerSelectionError', 'Server selection timed out after 30000 ms'))).to.equal(false);
    expect(isDocumentError(named('MongoNetworkError', 'document is too large', { code: 2 }))).to.equal(false);
    expect(isDocumentError(named('MongoServerError', 'not primary', { code: 10107 }))).to.equal(false);
    expect(isDocumentError(named('MongoWriteConcernError', 'waiting for replication timed out', { code: 64 }))).to.equal(false);
    expect(isDocumentError(named('MongoServerError', 'interrupted at shutdown', { code: 11600 }))).to.equal(false);
    expect(isDocumentError(new RangeError('Invalid array length'))).to.equal(false);
    expect(isDocumentError(null)).to.equal(false);
    expect(isDocumentError('boom')).to.equal(false);
  });

  it('never throws, whatever was thrown', () => {
    const hostile = new Proxy({}, { get() { throw new Error('getter'); } });
    expect(isDocumentError(hostile)).to.equal(false);
    const loop: { cause?: unknown } = {};
    loop.cause = loop;
    expect(isDocumentError(loop)).to.equal(false);
  });
});
