// Whether a thrown value is an upstream's failure (an outgoing HTTP call of axios, got,
// undici/fetch or node:http), told by its shape alone: the status it answers (502, 504 for a
// timeout) is the envelope's rule, and the report's upstream summary
// (lib/report/httpClientError.ts) starts from the same recognition.
import http from 'node:http';
import { isObject } from '../core/objects';

export type HttpClientName = 'axios' | 'got' | 'undici' | 'fetch' | 'node:http';

/** The properties under which a client's error keeps node:http's own request and response. */
export const NODE_REPLACED = new Set(['req', 'res', 'request', 'response', 'socket', 'agent']);

/** Which HTTP client threw `thrown`, told by its shape alone, or null when it is no HTTP client's error. */
export function clientOf(thrown: unknown): HttpClientName | null {
  if (thrown === null || typeof thrown !== 'object') return null;
  try {
    const err = thrown as Record<string, unknown>;
    // Every client's error carries its data as own properties, except fetch's TypeError.
    if (err instanceof TypeError && err.message === 'fetch failed') return 'fetch';
    if (Object.keys(err).length === 0) return null;
    if (err.isAxiosError === true || (isObject(err.config) && err.name === 'AxiosError')) return 'axios';
    if (isObject(err.options) && typeof err.name === 'string' && /Error$/.test(err.name) && 'url' in err.options && 'method' in err.options) return 'got';
    if (typeof err.code === 'string' && err.code.startsWith('UND_ERR_')) return 'undici';
    return nodeHttpObjects(err) ? 'node:http' : null;
  } catch {
    return null;
  }
}

// axios says ECONNABORTED for its `timeout` (ETIMEDOUT with clarifyTimeoutError), got
// names its error TimeoutError, undici has three timeout codes, node:http sockets ETIMEDOUT.
const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/**
 * An outgoing HTTP call failed: 'timeout' when it timed out (the app answers 504), else
 * 'failed' (502); null when `thrown` is not an HTTP client's error. An upstream's status is
 * the upstream's business with us, never our answer to the client (issue 19, item 3).
 */
export function upstreamFailure(thrown: unknown): 'timeout' | 'failed' | null {
  if (clientOf(thrown) === null) return null;
  try {
    const err = thrown as Record<string, unknown>;
    const cause = isObject(err.cause) ? err.cause : {};
    const timedOut = err.name === 'TimeoutError' || TIMEOUT_CODES.has(String(err.code)) || TIMEOUT_CODES.has(String(cause.code));
    return timedOut ? 'timeout' : 'failed';
  } catch {
    return 'failed';
  }
}

// Any other error carrying node:http's own objects (superagent, needle, hand-rolled clients).
export function nodeHttpObjects(err: Record<string, unknown>): { request: http.ClientRequest | null; response: http.IncomingMessage | null } | null {
  let request: http.ClientRequest | null = null;
  let response: http.IncomingMessage | null = null;
  for (const key of NODE_REPLACED) {
    const value = err[key];
    if (value instanceof http.ClientRequest) request ??= value;
    else if (value instanceof http.IncomingMessage) response ??= value;
  }
  return request || response ? { request, response } : null;
}
