// Telling a failure of the documents themselves (retrying can never help) from a
// transient one (network, server selection, failover, write concern, shutdown).
import { mongo } from 'mongoose';
import { PermanentStoreError } from '../../ports';
import { codeOf, messageOf } from '../../core/errors';

export const DUPLICATE_KEY = 11000;
/** The server's document limit (https://www.mongodb.com/docs/manual/reference/limits/#bson-documents). */
export const MAX_BSON_OBJECT_SIZE = 16 * 1024 * 1024;

// Server codes that concern the document: BadValue, Overflow, InvalidLength, DollarPrefixedFieldName,
// EmptyFieldName, DottedFieldName, DocumentValidationFailure, InvalidBSON, KeyTooLong,
// BSONObjectTooLarge, the "object to insert too large" pair, and key-too-large-to-index.
const DOCUMENT_CODES = new Set([2, 15, 16, 52, 56, 57, 121, 22, 17280, 10334, 17419, 17420, 10065]);
const DOCUMENT_MESSAGES = /must not contain null bytes|larger than the maximum size|too large|invalid BSON|BSONObj size|document failed validation|field names? .*(start with|contain)/i;

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

/** Whether the failure concerns the documents (BSON serialisation, size, validation). */
export function isDocumentFailure(err: unknown): boolean {
  if (err instanceof mongo.BSON.BSONError || (err as { name?: unknown } | null)?.name === 'BSONError') return true;
  if (err instanceof mongo.MongoNetworkError || err instanceof mongo.MongoServerSelectionError) return false;
  const code = codeOf(err);
  if (code != null && DOCUMENT_CODES.has(code)) return true;
  return (err instanceof mongo.MongoInvalidArgumentError || err instanceof mongo.MongoServerError) && DOCUMENT_MESSAGES.test(messageOf(err));
}

/** Rethrows a document failure as a PermanentStoreError (with the cause); anything else as it is. */
export function asStoreError(err: unknown, what: string): unknown {
  return isDocumentFailure(err) ? new PermanentStoreError(`MongoDB refused ${what}: ${messageOf(err)}`, { cause: err }) : err;
}

/**
 * Refuses, before sending, a batch holding a document the server would refuse for its
 * size: some servers drop the connection on one instead of answering, which would read
 * as a transient failure and be retried for ever.
 */
export function checkDocumentSizes(docs: Array<{ _id: string }>): void {
  for (const doc of docs) {
    const size = mongo.BSON.calculateObjectSize(doc as mongo.BSON.Document);
    if (size > MAX_BSON_OBJECT_SIZE) {
      throw new PermanentStoreError(`MongoDB refuses event ${doc._id}: ${size} bytes is over the ${MAX_BSON_OBJECT_SIZE}-byte document limit`);
    }
  }
}
