import type { Context, Middleware } from 'koa';
import { Stream } from 'node:stream';
import { compileMatchers, DEFAULT_API_PATH, type PathMatcher } from '../envelope/apiPath';
import { failureEnvelope, statusText, successEnvelope, type Envelope } from '../envelope/envelope';
import { formatMark } from '../envelope/routeMarks';
import { asError, clientMessage, headersOf, statusOf } from '../envelope/thrown';
import { rejectUnknownKeys } from '../core/options';
import { emitToOwnListeners } from './koaErrorPrinter';
import { partMiddleware } from './parts';

export interface ResponseFormatterOptions {
  /** API paths: RegExps, or path prefixes matched on segment boundaries. */
  match?: PathMatcher | PathMatcher[];
  /** Methods whose responses are enveloped; HEAD and OPTIONS are left to Koa. */
  methods?: string[];
  /**
   * Emit 5xx errors on `app.on('error')` like Koa does for errors it handles itself,
   * to the app's own listeners only: Koa's default printer would log them unscrubbed.
   */
  emitErrors?: boolean;
}

const defaults: Required<ResponseFormatterOptions> = {
  match: DEFAULT_API_PATH,
  methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
  emitErrors: true,
};

/**
 * Wraps API responses as `{ success, result, message }` and turns anything thrown
 * downstream into the same envelope with the right status. It sits outermost (after
 * the request id) so it sees every error, including the body parser's 400/413/415.
 */
export function responseFormatter(options: ResponseFormatterOptions = {}): Middleware {
  rejectUnknownKeys('responseFormatter', options, Object.keys(defaults));
  const opts = { ...defaults, ...options };
  if (!Array.isArray(opts.methods) || opts.methods.some((m) => typeof m !== 'string')) {
    throw new TypeError('responseFormatter: methods must be an array of HTTP method names');
  }
  const isApiPath = compileMatchers(opts.match);
  const methods = new Set(opts.methods.map((m) => m.toUpperCase()));

  const { emitErrors } = opts;

  function applies(ctx: Context): boolean {
    const mark = formatMark(ctx);
    if (mark === false) return false;
    if (!methods.has(ctx.req.method!)) return false;
    return mark === true || isApiPath(ctx.path);
  }

  return partMiddleware('responseFormatter', {
    leave(ctx) {
      if (applies(ctx)) shapeResponse(ctx);
    },
    fail(ctx, err) {
      if (!applies(ctx) || ctx.headerSent || !ctx.writable) return false;
      respondWithError(ctx, err, emitErrors);
      return true;
    },
  });
}

function respondWithError(ctx: Context, err: unknown, emitErrors: boolean): void {
  const status = statusOf(err);
  const headers = headersOf(err);
  for (const name in headers) ctx.set(name, headers[name]);
  setEnvelope(ctx, status, failureEnvelope(clientMessage(err, status)), undefined);
  if (status >= 500 && emitErrors) emitToOwnListeners(ctx.app, asError(err), ctx);
}

function shapeResponse(ctx: Context): void {
  const { response } = ctx;
  const status = response.status;
  if (status < 200 || (status >= 300 && status < 400) || status === 204) return;
  const body = response.body;
  if (body instanceof Stream || Buffer.isBuffer(body) || body instanceof Uint8Array) return;
  const type = typeOf(ctx);
  if (!isJsonBody(body, type)) return;

  if (status < 300) {
    setEnvelope(ctx, status, successEnvelope(body), type);
  } else if (status < 500) {
    const empty = body === undefined || body === null || body === '';
    setEnvelope(ctx, status, failureEnvelope(empty ? statusText(status) : body), type);
  } else {
    setEnvelope(ctx, status, failureEnvelope(statusText(status)), type);
  }
}

// What Koa's body setter writes for an object body; Koa's type getter would split it
// into a new string on every request to tell us the same.
const KOA_JSON = 'application/json; charset=utf-8';

function typeOf(ctx: Context): string {
  return ctx.res.getHeader('content-type') === KOA_JSON ? 'application/json' : ctx.response.type;
}

// Koa types a string body text/plain (or text/html when it starts with "<") unless the
// handler chose a type. A JSON type, text/plain, or no body at all is ours to wrap;
// anything else (CSV, HTML, XML…) was chosen by the handler and is left alone.
function isJsonBody(body: unknown, type: string): boolean {
  if (body === undefined || body === null || !type) return true;
  return type === 'application/json' || type.endsWith('+json') || (type === 'text/plain' && typeof body === 'string');
}

type KoaResponse = Context['response'] & { _body?: unknown };

/** `type`: the response's type as read before (undefined when not read). */
function setEnvelope(ctx: Context, status: number, envelope: Envelope, type: string | undefined): void {
  if (type === 'application/json' && swapBody(ctx, envelope)) return;
  // The status first: set explicitly, the body setter keeps it (a status nobody set it makes 200).
  ctx.status = status;
  // Typed before the body setter so it does not look the type up in the mime table; a type
  // the handler set (a string's text/plain, problem+json…) is replaced after it.
  if (!ctx.res.hasHeader('content-type')) ctx.res.setHeader('Content-Type', KOA_JSON);
  ctx.body = envelope;
  if (typeOf(ctx) !== 'application/json') ctx.type = 'application/json';
}

/**
 * Puts the envelope where the handler's JSON body was without a second trip through
 * Koa's body setter. For an object replacing an object already typed application/json,
 * with no Content-Length set, the setter would only store it (status explicit, type kept,
 * nothing to remove, no stream to clean up), so storing it is the same. Koa keeps the body
 * in `response._body` (Koa 2 and 3); if a version does not, the read-back fails and the
 * setter is used.
 */
function swapBody(ctx: Context, envelope: Envelope): boolean {
  const response = ctx.response as KoaResponse;
  const current = response._body;
  if (current === null || typeof current !== 'object' || ctx.res.hasHeader('content-length')) return false;
  response._body = envelope;
  if (response.body === envelope) return true;
  response._body = current;
  return false;
}
