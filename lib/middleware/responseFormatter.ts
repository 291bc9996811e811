import type { Context, Middleware } from 'koa';
import { Stream } from 'node:stream';
import { compileMatchers, DEFAULT_API_PATH, type PathMatcher } from '../envelope/apiPath';
import { failureEnvelope, statusText, successEnvelope, type Envelope } from '../envelope/envelope';
import { formatMark } from '../envelope/routeMarks';
import { asError, clientMessage, headersOf, statusOf } from '../envelope/thrown';
import { rejectUnknownKeys } from '../core/options';
import { emitToOwnListeners } from './koaErrorPrinter';

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

  function applies(ctx: Context): boolean {
    const mark = formatMark(ctx);
    if (mark === false) return false;
    if (!methods.has(ctx.method)) return false;
    return mark === true || isApiPath(ctx.path);
  }

  return async function responseFormatter(ctx, next) {
    try {
      await next();
    } catch (err) {
      if (!applies(ctx) || ctx.headerSent || !ctx.writable) throw err;
      respondWithError(ctx, err, opts.emitErrors);
      return;
    }
    if (applies(ctx)) shapeResponse(ctx);
  };
}

function respondWithError(ctx: Context, err: unknown, emitErrors: boolean): void {
  const status = statusOf(err);
  ctx.set(headersOf(err));
  setEnvelope(ctx, status, failureEnvelope(clientMessage(err, status)));
  if (status >= 500 && emitErrors) emitToOwnListeners(ctx.app, asError(err), ctx);
}

function shapeResponse(ctx: Context): void {
  const { status, body } = ctx;
  if (status < 200 || (status >= 300 && status < 400) || status === 204) return;
  if (body instanceof Stream || Buffer.isBuffer(body) || body instanceof Uint8Array) return;
  if (!isJsonBody(body, ctx.response.type)) return;

  if (status < 300) {
    setEnvelope(ctx, status, successEnvelope(body));
  } else if (status < 500) {
    const empty = body === undefined || body === null || body === '';
    setEnvelope(ctx, status, failureEnvelope(empty ? statusText(status) : body));
  } else {
    setEnvelope(ctx, status, failureEnvelope(statusText(status)));
  }
}

// Koa types a string body text/plain (or text/html when it starts with "<") unless the
// handler chose a type. A JSON type, text/plain, or no body at all is ours to wrap;
// anything else (CSV, HTML, XML…) was chosen by the handler and is left alone.
function isJsonBody(body: unknown, type: string): boolean {
  if (body === undefined || body === null || !type) return true;
  return type === 'application/json' || type.endsWith('+json') || (type === 'text/plain' && typeof body === 'string');
}

function setEnvelope(ctx: Context, status: number, envelope: Envelope): void {
  // Assigning a body turns a status nobody set into 200, so the status is restored after it.
  ctx.body = envelope;
  if (ctx.status !== status) ctx.status = status;
  // A string body kept its text/plain type through the assignment above.
  if (ctx.response.type !== 'application/json') ctx.type = 'application/json';
}
