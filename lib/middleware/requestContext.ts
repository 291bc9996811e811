import type { Middleware } from 'koa';
import { randomUUID } from 'node:crypto';
import { rejectUnknownKeys } from '../core/options';

export interface RequestContextOptions {
  /** Header read from the client (or proxy) and echoed on the response. */
  header?: string;
  /** Honour an incoming id when it is sane; off when clients are not trusted to choose it. */
  trustIncoming?: boolean;
  generate?: () => string;
}

const defaults: Required<RequestContextOptions> = {
  header: 'X-Request-Id',
  trustIncoming: true,
  generate: randomUUID,
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

  return function requestContext(ctx, next) {
    const incoming = opts.trustIncoming ? ctx.get(opts.header) : '';
    const id = SANE_ID.test(incoming) ? incoming : opts.generate();
    ctx.state.requestId = id;
    ctx.set(opts.header, id);
    return next().catch((err: unknown) => {
      keepHeaderOnError(err, opts.header, id);
      throw err;
    });
  };
}

// Koa's own error response clears every header and then applies err.headers (as
// @koa/cors relies on), so the id rides on the error to survive it.
function keepHeaderOnError(err: unknown, header: string, id: string): void {
  if (err === null || typeof err !== 'object') return;
  try {
    const target = err as { headers?: Record<string, unknown> };
    target.headers = { ...(target.headers && typeof target.headers === 'object' ? target.headers : {}), [header]: id };
  } catch {
    // A frozen or exotic error keeps its own headers; the response just lacks the id.
  }
}
