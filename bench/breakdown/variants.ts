// The variants of the in-process breakdown (phases/breakdown.ts): bare Koa + @koa/router
// with one thing added, each built by `variantApp` the same way whether it runs in a
// process of its own (breakdown/child.ts) or next to the others.
import { randomUUID } from 'node:crypto';
import type Koa from 'koa';
import type { Middleware } from 'koa';
import compose from 'koa-compose';
import { bodyParser, brokenLinkReporter, createClient, errorReporter, requestContext, responseFormatter, silentLogger, stack } from 'koa-tripwire';
import { batchedUuid } from '../support/batchedUuid';
import { benchApp, benchRouter } from '../servers/serve';
import { requestIdAndEnvelope } from '../support/floorMiddleware';
import { mediaTypeOf } from '../../lib/envelope/responseFormatter';
import { ERROR_PATH, HAPPY_PATH } from '../settings';

export type Group = 'happy' | 'operation' | 'error';

export interface Variant {
  id: string;
  label: string;
  group: Group;
  /** The variant this one is measured against. */
  base?: string;
  path: string;
  middleware?: () => Middleware & { close?: (ms?: number) => Promise<void> };
  /** Counted in the sum of the parts (the stack's own parts, not the whole or the operations). */
  part?: boolean;
}

const nowhere = { store: null, notifiers: [], logger: silentLogger };

/** A Koa operation inside one async middleware, after the route, as the formatter runs it. */
function afterRoute(op: (ctx: Parameters<Middleware>[0]) => unknown): () => Middleware {
  return () => async (ctx, next) => {
    await next();
    ctx.state.sink = op(ctx);
  };
}

function composedByHand(): Middleware & { close(ms?: number): Promise<void> } {
  const client = createClient(nowhere);
  const parts = [requestContext(), responseFormatter(), errorReporter({ client }), brokenLinkReporter({ client }), bodyParser()];
  return Object.assign(compose(parts), { close: (ms?: number) => client.close(ms) });
}

let counter = 0;
export const VARIANTS: Variant[] = [
  { id: 'bare', label: 'bare Koa + @koa/router', group: 'happy', path: HAPPY_PATH },
  { id: 'requestId', label: 'request id (requestContext)', group: 'happy', base: 'bare', path: HAPPY_PATH, part: true, middleware: () => requestContext() },
  { id: 'formatter', label: 'envelope (responseFormatter)', group: 'happy', base: 'bare', path: HAPPY_PATH, part: true, middleware: () => responseFormatter() },
  { id: 'errors', label: 'error reporter, nothing thrown', group: 'happy', base: 'bare', path: HAPPY_PATH, part: true, middleware: () => errorReporter(nowhere) },
  { id: 'links', label: 'broken-link reporter, no 404', group: 'happy', base: 'bare', path: HAPPY_PATH, part: true, middleware: () => brokenLinkReporter(nowhere) },
  { id: 'bodyParser', label: 'body parser, skipped (no body)', group: 'happy', base: 'bare', path: HAPPY_PATH, part: true, middleware: () => bodyParser() },
  { id: 'stack', label: 'whole stack()', group: 'happy', base: 'bare', path: HAPPY_PATH, middleware: () => stack({ errors: nowhere, brokenLinks: nowhere }) },
  // The idiomatic composition stack() departs from: the README's five parts, one async frame
  // each, as stack() composes them.
  { id: 'composed', label: 'the five parts composed by hand (a frame per reporter)', group: 'happy', base: 'bare', path: HAPPY_PATH, middleware: composedByHand },
  // What keeping the product costs at the least: the header and the envelope, nothing checked.
  { id: 'floor', label: 'floor: X-Request-Id + envelope, nothing else', group: 'happy', base: 'bare', path: HAPPY_PATH, middleware: () => requestIdAndEnvelope },

  { id: 'async', label: 'one async middleware (await next())', group: 'operation', base: 'bare', path: HAPPY_PATH, middleware: () => async (_ctx, next) => { await next(); } },
  { id: 'op:set', label: 'ctx.set(X-Request-Id)', group: 'operation', base: 'async', path: HAPPY_PATH, middleware: afterRoute((ctx) => ctx.set('X-Request-Id', 'req-1')) },
  { id: 'op:get', label: 'ctx.get(X-Request-Id)', group: 'operation', base: 'async', path: HAPPY_PATH, middleware: afterRoute((ctx) => ctx.get('X-Request-Id')) },
  { id: 'op:body', label: 'ctx.body = envelope (2nd assignment)', group: 'operation', base: 'async', path: HAPPY_PATH, middleware: afterRoute((ctx) => { ctx.body = { success: true, result: ctx.body, message: null }; }) },
  { id: 'op:swap', label: 'envelope swapped in (no setter)', group: 'operation', base: 'async', path: HAPPY_PATH, middleware: afterRoute((ctx) => { (ctx.response as unknown as { _body: unknown })._body = { success: true, result: ctx.body, message: null }; }) },
  { id: 'op:type', label: 'ctx.response.type', group: 'operation', base: 'async', path: HAPPY_PATH, middleware: afterRoute((ctx) => ctx.response.type) },
  { id: 'op:mediaType', label: "the formatter's mediaTypeOf(ctx), for ctx.response.type", group: 'operation', base: 'async', path: HAPPY_PATH, middleware: afterRoute((ctx) => mediaTypeOf(ctx)) },
  { id: 'op:path', label: 'ctx.path', group: 'operation', base: 'async', path: HAPPY_PATH, middleware: afterRoute((ctx) => ctx.path) },
  { id: 'op:uuid', label: 'randomUUID()', group: 'operation', base: 'async', path: HAPPY_PATH, middleware: afterRoute(() => randomUUID()) },
  { id: 'op:uuidHeader', label: 'setHeader(X-Request-Id, randomUUID())', group: 'operation', base: 'async', path: HAPPY_PATH, middleware: afterRoute((ctx) => ctx.res.setHeader('X-Request-Id', randomUUID())) },
  { id: 'op:batchedHeader', label: 'setHeader(X-Request-Id, batchedUuid()), the former default', group: 'operation', base: 'async', path: HAPPY_PATH, middleware: afterRoute((ctx) => ctx.res.setHeader('X-Request-Id', batchedUuid())) },
  { id: 'op:counter', label: 'prefix + counter id', group: 'operation', base: 'async', path: HAPPY_PATH, middleware: afterRoute(() => `k3f9a-${(++counter).toString(36)}`) },

  { id: 'error:bare', label: 'bare Koa (its text/plain 500)', group: 'error', path: ERROR_PATH },
  { id: 'error:envelope', label: 'stack(), no reporters (envelope only)', group: 'error', base: 'error:bare', path: ERROR_PATH, middleware: () => stack({ errors: false, brokenLinks: false }) },
  { id: 'error:none', label: 'stack() reporting nowhere (tripwire-none)', group: 'error', base: 'error:bare', path: ERROR_PATH, middleware: () => stack({ errors: nowhere, brokenLinks: nowhere }) },
];

/** The variant's app (its middleware, then the bench routes) and a close for what the middleware holds open. */
export function variantApp(v: Variant): { app: Koa; close: () => Promise<void> } {
  const app = benchApp();
  let close = async () => {};
  if (v.middleware) {
    const mw = v.middleware();
    if (mw.close) close = async () => { await mw.close!(500); };
    app.use(mw);
  }
  const router = benchRouter();
  app.use(router.routes());
  app.use(router.allowedMethods());
  return { app, close };
}
