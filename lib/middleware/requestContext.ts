import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import { defineOptions, type OptionsOf } from '../core/options';
import { rejectUseWithoutCall } from '../core/factoryMisuse';

const readOptions = defineOptions('requestContext', {
  /** Header read from the client (or proxy) and echoed on the response. */
  header: 'X-Request-Id',
  /** Honour an incoming id when it is sane; off when clients are not trusted to choose it. */
  trustIncoming: true,
  /** Mints an id when the request brings none: a random v4 UUID, what clients and log tools expect. */
  generate: randomUUID as () => string,
});

export type RequestContextOptions = OptionsOf<typeof readOptions.defaults>;

/**
 * The request's id, minted with the default generator when no requestContext ran
 * before (an errorReporter composed without one): one id source for the whole suite.
 */
export function ensureRequestId(ctx: { state: { requestId?: unknown } }): string {
  if (typeof ctx.state.requestId !== 'string' || !ctx.state.requestId) ctx.state.requestId = randomUUID();
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
  rejectUseWithoutCall('requestContext', options, arguments[1]);
  const { header, trustIncoming, generate } = readOptions(options);
  if (typeof header !== 'string' || !/^[A-Za-z0-9-]+$/.test(header)) {
    throw new TypeError(`requestContext: header must be a header name, got ${JSON.stringify(header)}`);
  }
  if (typeof generate !== 'function') throw new TypeError('requestContext: generate must be a function');

  // Koa's "common function" form (https://github.com/koajs/koa#middleware): nothing runs
  // after the routes unless they throw, so no async frame of its own.
  return function requestContext(ctx, next) {
    // ctx.request and ctx.response rather than ctx's delegating getters: one call less.
    const incoming = trustIncoming ? ctx.request.get(header) : '';
    const id = SANE_ID.test(incoming) ? incoming : generate();
    ctx.state.requestId = id;
    ctx.response.set(header, id);
    return next().catch((err: unknown) => {
      // What the response carries: the id set above, unless the app chose another.
      keepHeaderOnError(err, header, ctx.response.get(header) || id);
      throw err;
    });
  };
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
