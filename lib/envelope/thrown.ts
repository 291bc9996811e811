// Reading a thrown value safely: anything can be thrown (null, strings, objects
// whose getters throw), and the code that shapes the response must not throw again.
import { upstreamFailure } from './upstreamFailure';
import { statusText } from './envelope';

function read(value: unknown, key: string): unknown {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return undefined;
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

/**
 * How the app answers an upstream's failure (an error of axios, got, undici/fetch or
 * node:http): 'report' (the default) answers 502, or 504 for a timeout, and so reports it
 * as the server error it is; 'propagate' passes the upstream's status through as before.
 */
export type UpstreamErrors = 'report' | 'propagate';

// Set by responseFormatter on the requests it serves when configured to propagate, so
// every part that asks for the status (the reporters, the report builder) agrees with it.
const UPSTREAM_ERRORS = Symbol.for('koa-tripwire.upstreamErrors');

type MarkedState = Record<symbol, UpstreamErrors | undefined>;

/** Marks the request as answering upstream failures with `mode` (responseFormatter's option). */
export function markUpstreamErrors(ctx: { state: object }, mode: UpstreamErrors): void {
  (ctx.state as MarkedState)[UPSTREAM_ERRORS] = mode;
}

/**
 * The status an error answers with: 502/504 for an upstream's failure (unless the request
 * is marked 'propagate'), else `err.status` or `err.statusCode` when it is an HTTP error
 * status, else 500 (http-errors semantics). Pass the request's `ctx` when there is one.
 */
export function statusOf(err: unknown, ctx?: { state?: object }): number {
  const mode = ctx?.state ? (ctx.state as MarkedState)[UPSTREAM_ERRORS] : undefined;
  if (mode !== 'propagate') {
    const upstream = upstreamFailure(err);
    if (upstream !== null) return upstream === 'timeout' ? 504 : 502;
  }
  return httpErrorStatus(read(err, 'status')) ?? httpErrorStatus(read(err, 'statusCode')) ?? 500;
}

function httpErrorStatus(status: unknown): number | undefined {
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599 ? status : undefined;
}

/** Headers the error asks for (Allow on 405, Retry-After on 429, WWW-Authenticate on 401). */
export function headersOf(err: unknown): Record<string, string | string[]> {
  const headers = read(err, 'headers');
  if (!headers || typeof headers !== 'object') return {};
  const out: Record<string, string | string[]> = {};
  try {
    for (const [name, value] of Object.entries(headers)) {
      // Header names and values come from code, but a CR/LF would split the response.
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) continue;
      if (typeof value === 'string' || typeof value === 'number') out[name] = String(value).replace(/[\r\n]/g, ' ');
      else if (Array.isArray(value)) out[name] = value.map((v) => String(v).replace(/[\r\n]/g, ' '));
    }
  } catch {
    return out;
  }
  return out;
}

/**
 * What the client may read. 4xx: the error's message unless it says `expose: false`.
 * 5xx: the status's standard text unless the error says `expose: true`: a server
 * error's message, stack or class name never reaches the client by accident.
 */
export function clientMessage(err: unknown, status: number): string {
  const expose = read(err, 'expose');
  const message = read(err, 'message');
  const canExpose = status < 500 ? expose !== false : expose === true;
  if (canExpose && typeof message === 'string' && message) return message;
  return statusText(status);
}

/** Koa's default error listener refuses non-Errors; hand it a real Error that says what was thrown. */
export function asError(err: unknown): Error {
  if (isError(err)) return err;
  let shown: string;
  try {
    shown = typeof err === 'string' ? err : JSON.stringify(err) ?? String(err);
  } catch {
    shown = '[unprintable value]';
  }
  const wrapped = new Error(`non-error thrown: ${shown.slice(0, 1000)}`);
  (wrapped as Error & { thrown?: unknown }).thrown = err;
  return wrapped;
}

function isError(value: unknown): value is Error {
  try {
    return value instanceof Error;
  } catch {
    // A Proxy whose getPrototypeOf trap throws is not an Error we can hand on.
    return false;
  }
}
