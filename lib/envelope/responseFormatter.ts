import type { Context, Middleware } from 'koa';
import { Stream } from 'node:stream';
import { compileMatchers, DEFAULT_API_PATH, type PathMatcher } from './apiPath';
import { failureEnvelope, statusText, successEnvelope, type Envelope } from './envelope';
import { formatMark } from './routeMarks';
import { asError, clientMessage, headersOf, markUpstreamErrors, statusOf, type UpstreamErrors } from './thrown';
import { defineOptions, type OptionsOf } from '../core/options';
import { rejectUseWithoutCall } from '../core/factoryMisuse';
import { emitToOwnListeners } from './koaErrorPrinter';

const readOptions = defineOptions('responseFormatter', {
  /** API paths: RegExps, or path prefixes matched on segment boundaries. */
  match: DEFAULT_API_PATH as PathMatcher | PathMatcher[],
  /** Methods whose responses are enveloped; HEAD and OPTIONS are left to Koa. */
  methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
  /**
   * Emit 5xx errors on `app.on('error')` like Koa does for errors it handles itself,
   * to the app's own listeners only: Koa's default printer would log them unscrubbed.
   */
  emitErrors: true,
  /**
   * An upstream's failure (axios, got, undici/fetch, node:http) answers 502 Bad Gateway,
   * 504 for a timeout, and is reported as a server error ('report'); 'propagate' passes the
   * upstream's status through, so an expired API key reads to users as their own 401 and
   * nobody is told (see docs/envelope.md).
   */
  upstreamErrors: 'report' as UpstreamErrors,
});

export type ResponseFormatterOptions = OptionsOf<typeof readOptions.defaults>;

/**
 * Wraps API responses as `{ success, result, message }` and turns anything thrown
 * downstream into the same envelope with the right status. It sits outermost (after
 * the request id) so it sees every error, including the body parser's 400/413/415.
 */
export function responseFormatter(options: ResponseFormatterOptions = {}): Middleware {
  rejectUseWithoutCall('responseFormatter', options, arguments[1]);
  const { match, methods, emitErrors, upstreamErrors } = readOptions(options);
  if (!Array.isArray(methods) || methods.some((m) => typeof m !== 'string')) {
    throw new TypeError('responseFormatter: methods must be an array of HTTP method names');
  }
  if (upstreamErrors !== 'report' && upstreamErrors !== 'propagate') {
    throw new TypeError(`responseFormatter: upstreamErrors must be 'report' or 'propagate', got ${JSON.stringify(upstreamErrors)}`);
  }
  const isApiPath = compileMatchers(match);
  const enveloped = new Set(methods.map((m) => m.toUpperCase()));
  const propagate = upstreamErrors === 'propagate';

  // ctx.request and ctx.response rather than ctx's delegating getters: the same public
  // API, one call less on every request.
  function applies(ctx: Context): boolean {
    const mark = formatMark(ctx);
    if (mark === false || !enveloped.has(ctx.request.method)) return false;
    return mark === true || isApiPath(ctx.request.path);
  }

  // Koa's "common function" form (https://github.com/koajs/koa#middleware): next().then
  // instead of an async frame of its own.
  return function responseFormatter(ctx, next) {
    if (propagate) markUpstreamErrors(ctx, 'propagate');
    return next().then(
      () => {
        if (applies(ctx)) shapeResponse(ctx);
      },
      (err: unknown) => {
        if (!applies(ctx) || ctx.headerSent || !ctx.writable) throw err;
        respondWithError(ctx, err, emitErrors);
      },
    );
  };
}

function respondWithError(ctx: Context, err: unknown, emitErrors: boolean): void {
  const status = statusOf(err, ctx);
  // Only the error's own `headers`: an HTTP client's error keeps the upstream's response
  // headers (its WWW-Authenticate, its Retry-After) elsewhere, and they are not ours to repeat.
  ctx.response.set(headersOf(err));
  setEnvelope(ctx, status, failureEnvelope(clientMessage(err, status)));
  if (status >= 500 && emitErrors) emitToOwnListeners(ctx.app, asError(err), ctx);
}

function shapeResponse(ctx: Context): void {
  const { response } = ctx;
  const { status, body } = response;
  if (status < 200 || (status >= 300 && status < 400) || status === 204) return;
  if (body instanceof Stream || Buffer.isBuffer(body) || body instanceof Uint8Array) return;
  const type = mediaTypeOf(ctx);
  if (!isJsonBody(body, type)) return;

  if (status < 300) setEnvelope(ctx, status, successEnvelope(body), type);
  else if (status < 500) setEnvelope(ctx, status, failureEnvelope(body === undefined || body === null || body === '' ? statusText(status) : body), type);
  else setEnvelope(ctx, status, failureEnvelope(statusText(status)), type);
}

/**
 * `response.type` (the Content-Type without its parameters), read the cheap way: the
 * name as node keys it, and no array from split(). Every API response asks it; the bench
 * counts it beside `ctx.response.type` (rows op:mediaType and op:type, docs/performance.md).
 */
export function mediaTypeOf(ctx: Context): string {
  const header: unknown = ctx.response.get('content-type');
  if (typeof header !== 'string') return '';
  if (header === 'application/json; charset=utf-8') return 'application/json';
  const end = header.indexOf(';');
  return end === -1 ? header : header.slice(0, end);
}

// Koa types a string body text/plain (or text/html when it starts with "<") unless the
// handler chose a type. A JSON type, text/plain, or no body at all is ours to wrap;
// anything else (CSV, HTML, XML…) was chosen by the handler and is left alone.
function isJsonBody(body: unknown, type: string): boolean {
  if (body === undefined || body === null || !type) return true;
  return type === 'application/json' || type.endsWith('+json') || (type === 'text/plain' && typeof body === 'string');
}

/** `type`: the response's type before, when known (the handler's JSON body keeps its type). */
function setEnvelope(ctx: Context, status: number, envelope: Envelope, type?: string): void {
  const { response } = ctx;
  // A body set before made the status explicit, and the body setter keeps it; without
  // one the setter would make it 200, so the status goes first.
  if (type === undefined || response.body === undefined || response.body === null) response.status = status;
  response.body = envelope;
  // Koa's setter keeps a type already set (text/plain, problem+json): the envelope is plain JSON.
  if (type !== 'application/json') response.type = 'application/json';
}
