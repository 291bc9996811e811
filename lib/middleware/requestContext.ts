import type { Middleware } from 'koa';
import { batchedUuid } from './batchedUuid';
import { partMiddleware } from './parts';
import { rejectUnknownKeys } from '../core/options';

export interface RequestContextOptions {
  /** Header read from the client (or proxy) and echoed on the response. */
  header?: string;
  /** Honour an incoming id when it is sane; off when clients are not trusted to choose it. */
  trustIncoming?: boolean;
  /**
   * Mints an id when the request brings none. A random v4 UUID by default: it is what
   * clients and log tools expect of a request id. It comes from batchedUuid (a batch of
   * 256 formatted at once, each a flat string) rather than crypto.randomUUID, whose rope of
   * concatenated pieces node flattens again to validate and write the header (see batchedUuid.ts).
   */
  generate?: () => string;
}

const defaults: Required<RequestContextOptions> = {
  header: 'X-Request-Id',
  trustIncoming: true,
  generate: batchedUuid,
};

/**
 * The request's id, minted with the default generator when no requestContext ran
 * before (an errorReporter composed without one): one id source for the whole suite.
 */
export function ensureRequestId(ctx: { state: { requestId?: unknown } }): string {
  if (typeof ctx.state.requestId !== 'string' || !ctx.state.requestId) ctx.state.requestId = defaults.generate();
  return ctx.state.requestId as string;
}

// An incoming id ends up in logs, reports and Slack; anything longer or with other
// characters (CR/LF, markup) is replaced rather than cleaned.
const SANE_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/**
 * Gives every request an id (`ctx.state.requestId`) and echoes it as a response
 * header, so a client can quote it and a report can be found by it.
 */
export function requestContext(options: RequestContextOptions = {}): Middleware {
  rejectUnknownKeys('requestContext', options, Object.keys(defaults));
  const opts = { ...defaults, ...options };
  if (typeof opts.header !== 'string' || !/^[A-Za-z0-9-]+$/.test(opts.header)) {
    throw new TypeError(`requestContext: header must be a header name, got ${JSON.stringify(opts.header)}`);
  }
  if (typeof opts.generate !== 'function') throw new TypeError('requestContext: generate must be a function');

  const { header, trustIncoming, generate } = opts;
  // Node keeps incoming header names lower-cased; reading it directly skips ctx.get's switch.
  const incomingName = header.toLowerCase();

  return partMiddleware('requestContext', {
    enter(ctx) {
      const incoming = trustIncoming ? ctx.req.headers[incomingName] : undefined;
      const id = typeof incoming === 'string' && SANE_ID.test(incoming) ? incoming : generate();
      ctx.state.requestId = id;
      // The id is sane (checked above, or ours): node validates the value once more.
      ctx.res.setHeader(header, id);
    },
    fail(ctx, err) {
      // What the response carries: the id set above, unless the app chose another.
      const id = ctx.res.getHeader(header);
      if (id !== undefined) keepHeaderOnError(err, header, id);
      return false;
    },
  });
}

// Koa's own error response clears every header and then applies err.headers (as
// @koa/cors relies on), so the id rides on the error to survive it.
function keepHeaderOnError(err: unknown, header: string, id: unknown): void {
  if (err === null || typeof err !== 'object') return;
  try {
    const target = err as { headers?: Record<string, unknown> };
    target.headers = { ...(target.headers && typeof target.headers === 'object' ? target.headers : {}), [header]: id };
  } catch {
    // A frozen or exotic error keeps its own headers; the response just lacks the id.
  }
}
