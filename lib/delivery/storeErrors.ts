import { isPermanentStoreError } from '../ports';

// Errors about the connection or the server's state: retrying later can succeed.
const TRANSIENT_NAMES = new Set([
  'MongoNetworkError', 'MongoNetworkTimeoutError', 'MongoServerSelectionError', 'MongoNotConnectedError',
  'MongoTopologyClosedError', 'MongoWriteConcernError', 'MongoPoolClearedError', 'MongoServerClosedError',
]);
// Errors of the BSON serialiser and of schema validation: the document itself is refused.
const DOCUMENT_NAMES = new Set(['BSONError', 'BSONVersionError', 'BSONRuntimeError', 'BSONOffsetError', 'ValidationError', 'StrictModeError']);
// MongoDB server codes about the document (https://www.mongodb.com/docs/manual/reference/error-codes/).
const DOCUMENT_CODES = new Set([
  2, // BadValue (on a write: a value or key of the document)
  52, // DollarPrefixedFieldName
  55, // InvalidDBRef
  56, // EmptyFieldName
  57, // DottedFieldName
  121, // DocumentValidationFailure
  10334, // BSONObjectTooLarge
  17419, // document too large for the oplog / a batch
]);
const DOCUMENT_MESSAGES = /must not contain null bytes|larger than the maximum size|BSONObjectTooLarge|object to insert too large|document is too large|exceeds maximum (?:document|BSON) size|invalid (?:BSON|key|field name)/i;

/**
 * Whether a failed save concerns the reports themselves, so that retrying the same
 * batch can never succeed: the store says so (PermanentStoreError), or the driver,
 * the BSON serialiser or the server refused a document (a key with NUL, a document
 * over 16 MB, validation). Anything else (network, timeouts, failover, a save past
 * its deadline) is transient: parked and retried. Never throws.
 */
export function isDocumentError(err: unknown, depth = 0): boolean {
  try {
    if (isPermanentStoreError(err)) return true;
    if (!err || typeof err !== 'object' || depth > 3) return false;
    const { name, code, message, cause, writeErrors } = err as { name?: unknown; code?: unknown; message?: unknown; cause?: unknown; writeErrors?: unknown };
    if (typeof name === 'string' && TRANSIENT_NAMES.has(name)) return false;
    if (typeof name === 'string' && DOCUMENT_NAMES.has(name)) return true;
    if (typeof code === 'number' && DOCUMENT_CODES.has(code)) return true;
    // The BSON serialiser writes into a buffer of 17 MiB: a larger document overruns it with Node's own RangeError.
    if (err instanceof RangeError && code === 'ERR_OUT_OF_RANGE' && /offset/.test(String(message))) return true;
    if (typeof message === 'string' && DOCUMENT_MESSAGES.test(message)) return true;
    if (Array.isArray(writeErrors) && writeErrors.length > 0 && writeErrors.every((w) => isDocumentError(w, depth + 1))) return true;
    return cause !== undefined && cause !== err && isDocumentError(cause, depth + 1);
  } catch {
    return false;
  }
}
