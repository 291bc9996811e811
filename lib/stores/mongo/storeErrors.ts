// Telling a failure of the documents themselves (retrying can never help) from a
// transient one (network, server selection, failover, write concern, shutdown): the one
// list of MongoDB's error names and codes. Delivery never sees them: the write path
// repairs what the server refuses and throws a PermanentStoreError only for reports
// it still cannot store.
import { mongo } from 'mongoose';
import { isPermanentStoreError, PermanentStoreError } from '../../contracts/store';
import { codeOf, messageOf } from '../../core/errors';

export const DUPLICATE_KEY = 11000;
/** The server's document limit (https://www.mongodb.com/docs/manual/reference/limits/#bson-documents). */
export const MAX_BSON_OBJECT_SIZE = 16 * 1024 * 1024;

// Errors about the connection or the server's state: retrying later can succeed.
const TRANSIENT_NAMES = new Set([
  'MongoNetworkError', 'MongoNetworkTimeoutError', 'MongoServerSelectionError', 'MongoNotConnectedError',
  'MongoTopologyClosedError', 'MongoWriteConcernError', 'MongoPoolClearedError', 'PoolClearedOnNetworkError',
  'MongoServerClosedError', 'MongoWaitQueueTimeoutError',
]);
// Server codes of a server unreachable, stepping down, recovering or shutting down (those the driver retries a read on).
const TRANSIENT_CODES = new Set([
  6, 7, 89, 9001, // HostUnreachable, HostNotFound, NetworkTimeout, SocketException
  91, 11600, // ShutdownInProgress, InterruptedAtShutdown
  189, 10107, 11602, 13435, 13436, // PrimarySteppedDown, NotWritablePrimary, InterruptedDueToReplStateChange, NotPrimaryNoSecondaryOk, NotPrimaryOrSecondary
  134, 262, // ReadConcernMajorityNotAvailableYet, ExceededTimeLimit
]);
// Server codes of an index that cannot be built beside one already there: an equivalent one
// under another name, or one of the same name with other options or keys.
const INDEX_CONFLICT_CODES = new Set([85, 86]); // IndexOptionsConflict, IndexKeySpecsConflict
// Errors of the BSON serialiser and of schema validation: the document itself is refused.
const DOCUMENT_NAMES = new Set(['BSONError', 'BSONVersionError', 'BSONRuntimeError', 'BSONOffsetError', 'ValidationError', 'StrictModeError']);
// Server codes about the document (https://www.mongodb.com/docs/manual/reference/error-codes/).
const DOCUMENT_CODES = new Set([
  2, // BadValue (on a write: a value or key of the document)
  15, // Overflow
  16, // InvalidLength
  22, // InvalidBSON
  52, // DollarPrefixedFieldName
  55, // InvalidDBRef
  56, // EmptyFieldName
  57, // DottedFieldName
  121, // DocumentValidationFailure
  10065, 17280, // key too large to index
  10334, // BSONObjectTooLarge
  17419, 17420, // document too large for the oplog / a batch
]);
const DOCUMENT_MESSAGES = /must not contain null bytes|larger than the maximum size|BSONObjectTooLarge|object to insert too large|document is too large|exceeds maximum (?:document|BSON) size|BSONObj size|invalid (?:BSON|key|field name)|document failed validation|field names? .{0,40}(?:start with|contain)/i;

export interface WriteError {
  code: number;
  index: number;
  errmsg: string;
}

/** The per-document errors of a bulk write, or null when the failure was not per document. */
export function writeErrorsOf(err: unknown): WriteError[] | null {
  const raw = (err as { writeErrors?: unknown } | null)?.writeErrors;
  const list = Array.isArray(raw) ? raw : raw ? [raw] : null;
  if (!list || list.length === 0) return null;
  return list.map((e: { code?: unknown; index?: unknown; errmsg?: unknown; err?: { code?: unknown; index?: unknown; errmsg?: unknown } }) => ({
    code: Number(e.code ?? e.err?.code),
    index: Number(e.index ?? e.err?.index),
    errmsg: String(e.errmsg ?? e.err?.errmsg ?? ''),
  }));
}

/**
 * Whether the failure is about reaching the server or its state (network, server selection,
 * the pool, failover, shutdown), so the same command can succeed later. Decided by the
 * driver's error classes, names and the server's codes, never by the message: the driver
 * words a server selection error after whatever the monitor last saw ("connection <monitor>
 * to … closed"). Never throws.
 */
export function isTransientFailure(err: unknown): boolean {
  try {
    if (!err || typeof err !== 'object') return false;
    if (err instanceof mongo.MongoNetworkError || err instanceof mongo.MongoServerSelectionError) return true;
    const { name, code } = err as { name?: unknown; code?: unknown };
    return (typeof name === 'string' && TRANSIENT_NAMES.has(name)) || (typeof code === 'number' && TRANSIENT_CODES.has(code));
  } catch {
    return false;
  }
}

/** Whether createIndex met an index it cannot coexist with: retrying cannot help until someone drops one of the two. */
export function isIndexConflict(err: unknown): boolean {
  const code = codeOf(err);
  return code != null && INDEX_CONFLICT_CODES.has(code);
}

/**
 * Whether the failure concerns the documents (BSON serialisation, size, validation), so
 * the same write can never succeed. Anything else (network, timeouts, failover, a
 * failover's write concern) is transient. Never throws, whatever was thrown.
 */
export function isDocumentFailure(err: unknown, depth = 0): boolean {
  try {
    if (isPermanentStoreError(err)) return true;
    if (!err || typeof err !== 'object' || depth > 3 || isTransientFailure(err)) return false;
    if (err instanceof mongo.BSON.BSONError) return true;
    const { name, code, message, cause, writeErrors } = err as { name?: unknown; code?: unknown; message?: unknown; cause?: unknown; writeErrors?: unknown };
    if (typeof name === 'string' && DOCUMENT_NAMES.has(name)) return true;
    if (typeof code === 'number' && DOCUMENT_CODES.has(code)) return true;
    // The BSON serialiser writes into a buffer of 17 MiB: a larger document overruns it with Node's own RangeError.
    if (err instanceof RangeError && code === 'ERR_OUT_OF_RANGE' && /offset/.test(String(message))) return true;
    if (typeof message === 'string' && DOCUMENT_MESSAGES.test(message.slice(0, 2000))) return true;
    if (Array.isArray(writeErrors) && writeErrors.length > 0 && writeErrors.every((w) => isDocumentFailure(w, depth + 1))) return true;
    return cause !== undefined && cause !== err && isDocumentFailure(cause, depth + 1);
  } catch {
    return false;
  }
}

/** Rethrows a document failure as a PermanentStoreError (with the cause); anything else as it is. */
export function asStoreError(err: unknown, what: string): unknown {
  return isDocumentFailure(err) ? new PermanentStoreError(`MongoDB refused ${what}: ${messageOf(err)}`, { cause: err }) : err;
}

/** Whether the server would refuse the document for its size (some drop the connection on one instead of answering). */
export function isOversize(doc: object): boolean {
  try {
    return mongo.BSON.calculateObjectSize(doc as mongo.BSON.Document) > MAX_BSON_OBJECT_SIZE;
  } catch {
    return true;
  }
}
