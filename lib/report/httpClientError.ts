import http from 'node:http';
import type { HttpClientInfo } from './Report';
import { budgetText, type CloneSession } from './scrub/cloneSession';

const MAX_HEADERS = 20;
const MAX_HEADER_VALUE = 256;

/** What an HTTP client error is reported as, and the properties that summary replaces. */
export interface HttpClientSummary {
  info: HttpClientInfo;
  /** Own properties not copied into `extra` (config, request, response, options, …). */
  replaced: ReadonlySet<string>;
}

const AXIOS_REPLACED = new Set(['config', 'request', 'response', 'status', 'toJSON', 'code']);
const GOT_REPLACED = new Set(['options', 'request', 'response', 'timings', 'code']);
const NODE_REPLACED = new Set(['req', 'res', 'request', 'response', 'socket', 'agent']);
const NOTHING = new Set<string>();

/**
 * Recognises the errors of axios, got, undici/fetch and node:http by their shape (no
 * import of those libraries) and reads what a developer needs: method, URL, status,
 * status text, error code, and a few headers of each side. Header values under hidden
 * names are masked here already; the filter scrubs every string afterwards.
 */
export function httpClientSummary(thrown: unknown, session: CloneSession): HttpClientSummary | null {
  if (thrown === null || typeof thrown !== 'object') return null;
  try {
    const err = thrown as Record<string, unknown>;
    // Every client's error carries its data as own properties, except fetch's TypeError.
    if (Object.keys(err).length === 0) return err instanceof TypeError && err.message === 'fetch failed' ? { info: info('fetch', session, { code: causeCode(err) }), replaced: NOTHING } : null;
    if (err.isAxiosError === true || (isObject(err.config) && err.name === 'AxiosError')) return axiosSummary(err, session);
    if (isObject(err.options) && typeof err.name === 'string' && /Error$/.test(err.name) && 'url' in err.options && 'method' in err.options) {
      return gotSummary(err, session);
    }
    const code = typeof err.code === 'string' ? err.code : null;
    if (code?.startsWith('UND_ERR_')) return { info: info('undici', session, { code }), replaced: NOTHING };
    if (err instanceof TypeError && err.message === 'fetch failed') {
      return { info: info('fetch', session, { code: causeCode(err) }), replaced: NOTHING };
    }
    return nodeHttpSummary(err, session);
  } catch {
    return null;
  }
}

function axiosSummary(err: Record<string, unknown>, session: CloneSession): HttpClientSummary {
  const config = isObject(err.config) ? err.config : {};
  const response = isObject(err.response) ? err.response : {};
  const base = typeof config.baseURL === 'string' ? config.baseURL : '';
  const url = typeof config.url === 'string' && base && !/^[a-z][a-z0-9+.-]*:/i.test(config.url) ? joinUrl(base, config.url) : config.url;
  const parts = { method: config.method, url, status: response.status, statusText: response.statusText, requestHeaders: config.headers, responseHeaders: response.headers };
  return { info: summarise('axios', err, parts, session), replaced: AXIOS_REPLACED };
}

function gotSummary(err: Record<string, unknown>, session: CloneSession): HttpClientSummary {
  const options = err.options as Record<string, unknown>;
  const response = isObject(err.response) ? err.response : {};
  const url = options.url ? String(options.url) : null;
  const parts = { method: options.method, url, status: response.statusCode, statusText: response.statusMessage, requestHeaders: options.headers, responseHeaders: response.headers };
  return { info: summarise('got', err, parts, session), replaced: GOT_REPLACED };
}

interface RawParts {
  method: unknown;
  url: unknown;
  status: unknown;
  statusText: unknown;
  requestHeaders: unknown;
  responseHeaders: unknown;
}

function summarise(client: HttpClientInfo['client'], err: Record<string, unknown>, parts: RawParts, session: CloneSession): HttpClientInfo {
  return info(client, session, {
    method: typeof parts.method === 'string' ? parts.method.toUpperCase() : null,
    url: typeof parts.url === 'string' ? parts.url : null,
    status: numberOr(parts.status),
    statusText: typeof parts.statusText === 'string' ? parts.statusText : null,
    code: typeof err.code === 'string' ? err.code : null,
    requestHeaders: headerSubset(parts.requestHeaders, session),
    responseHeaders: headerSubset(parts.responseHeaders, session),
  });
}

// Any other error carrying node:http's own objects (superagent, needle, hand-rolled clients).
function nodeHttpSummary(err: Record<string, unknown>, session: CloneSession): HttpClientSummary | null {
  let request: http.ClientRequest | null = null;
  let response: http.IncomingMessage | null = null;
  for (const key of NODE_REPLACED) {
    const value = err[key];
    if (value instanceof http.ClientRequest) request ??= value;
    else if (value instanceof http.IncomingMessage) response ??= value;
  }
  if (!request && !response) return null;
  const parts = {
    method: request?.method,
    url: request ? `${request.protocol}//${request.host}${request.path}` : null,
    status: response?.statusCode,
    statusText: response?.statusMessage,
    requestHeaders: request?.getHeaders(),
    responseHeaders: response?.headers,
  };
  return { info: summarise('node:http', err, parts, session), replaced: NODE_REPLACED };
}

function info(client: HttpClientInfo['client'], session: CloneSession, fields: Partial<HttpClientInfo>): HttpClientInfo {
  const text = (value: string | null | undefined) => (typeof value === 'string' ? budgetText(session, value, session.limits.maxStringLength) : null);
  return {
    client,
    method: text(fields.method),
    url: text(fields.url),
    status: fields.status ?? null,
    statusText: text(fields.statusText),
    code: text(fields.code),
    requestHeaders: fields.requestHeaders ?? {},
    responseHeaders: fields.responseHeaders ?? {},
  };
}

/** At most MAX_HEADERS headers as lower-case name → short string; hidden names masked. */
function headerSubset(headers: unknown, session: CloneSession): Record<string, string> {
  const subset: Record<string, string> = {};
  if (!isObject(headers)) return subset;
  const plain = typeof headers.toJSON === 'function' ? (headers.toJSON as () => unknown).call(headers) : headers;
  if (!isObject(plain)) return subset;
  let count = 0;
  for (const name of Object.keys(plain)) {
    if (count++ >= MAX_HEADERS) break;
    const value = plain[name];
    if (value === undefined || value === null || typeof value === 'object' && !Array.isArray(value) || typeof value === 'function') continue;
    const key = name.toLowerCase().slice(0, 100);
    const text = Array.isArray(value) ? value.map(String).join(', ') : String(value);
    subset[key] = session.isHiddenKey(key) ? session.substitute : budgetText(session, text, MAX_HEADER_VALUE);
  }
  return subset;
}

function causeCode(err: Error): string | null {
  const cause = (err as { cause?: unknown }).cause;
  const code = isObject(cause) ? cause.code : undefined;
  return typeof code === 'string' ? code : null;
}

function joinUrl(base: string, relative: string): string {
  return `${base.replace(/\/+$/, '')}/${relative.replace(/^\/+/, '')}`;
}

function numberOr(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object';
}
