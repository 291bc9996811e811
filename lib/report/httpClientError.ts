import type { HttpClientInfo } from './Report';
import { isObject } from '../core/objects';
import { clientOf, nodeHttpObjects, NODE_REPLACED } from '../envelope/upstreamFailure';
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
const NOTHING = new Set<string>();

/**
 * Recognises the errors of axios, got, undici/fetch and node:http by their shape (no
 * import of those libraries) and reads what a developer needs: method, URL, status,
 * status text, error code, and a few headers of each side. Header values under hidden
 * names are masked here already; the filter scrubs every string afterwards.
 */
export function httpClientSummary(thrown: unknown, session: CloneSession): HttpClientSummary | null {
  try {
    const client = clientOf(thrown);
    if (client === null) return null;
    const err = thrown as Record<string, unknown>;
    switch (client) {
      case 'axios': return axiosSummary(err, session);
      case 'got': return gotSummary(err, session);
      case 'undici': return { info: info('undici', session, { code: err.code as string }), replaced: NOTHING };
      case 'fetch': return { info: info('fetch', session, { code: causeCode(err as unknown as Error) }), replaced: NOTHING };
      default: return nodeHttpSummary(err, session);
    }
  } catch {
    return null;
  }
}

const MAX_TITLE_URL = 200;

/**
 * The report title of an upstream failure: method, host and path (no scheme, credentials,
 * query or fragment, where secrets ride) and what came back, e.g.
 * "GET api.weather.example/v1/forecast → 401" or "POST api.example/v1/pay → ECONNREFUSED".
 */
export function upstreamTitle(http: HttpClientInfo): string {
  const outcome = http.status ?? http.code ?? 'no response';
  return `${http.method ?? 'request to'} ${hostAndPath(http.url)} → ${outcome}`;
}

function hostAndPath(url: string | null): string {
  if (!url) return 'an unknown URL';
  let shown: string;
  try {
    const parsed = new URL(url);
    shown = parsed.host + parsed.pathname;
  } catch {
    // A relative URL (axios without baseURL): its path, without what follows it.
    shown = url.split(/[?#]/, 1)[0].replace(/^[a-z][a-z0-9+.-]*:\/\/[^/@]*@/i, '');
  }
  return shown.length > MAX_TITLE_URL ? `${shown.slice(0, MAX_TITLE_URL)}…` : shown;
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

function nodeHttpSummary(err: Record<string, unknown>, session: CloneSession): HttpClientSummary | null {
  const found = nodeHttpObjects(err);
  if (!found) return null;
  const { request, response } = found;
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
  return `${base.replace(/(?<!\/)\/+$/, '')}/${relative.replace(/^\/+/, '')}`;
}

function numberOr(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
