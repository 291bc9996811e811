import axios, { type AxiosInstance } from 'axios';

/** What one POST to Slack came to, in the terms the retry policy needs. */
export type SlackOutcome =
  | { kind: 'sent'; ts: string | null }
  | { kind: 'rate-limited'; retryAfterMs: number; status: number; code: string }
  | { kind: 'transient'; status: number | null; code: string }
  | { kind: 'rejected'; status: number; code: string }
  | { kind: 'cancelled' };

export interface SlackTarget {
  url: string;
  /** Web API mode only: sent as `Authorization: Bearer <token>`. */
  token?: string;
}

// Web API errors that say "try again later" rather than "this request is wrong".
const TRANSIENT_API_ERRORS = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'ratelimited']);
// Codes are echoed in logs; Slack's body is short, but a proxy's HTML error page is not.
const MAX_CODE_LENGTH = 200;

/**
 * An axios client that reads every answer itself. Without `timeoutMs` there is no timer
 * of its own: SlackNotifier bounds each attempt on its clock and aborts through the signal.
 */
export function createSlackClient(timeoutMs = 0): AxiosInstance {
  return axios.create({
    timeout: timeoutMs,
    // Every answer is read and classified here, not thrown by axios.
    validateStatus: () => true,
    // A webhook answers the text "ok", the Web API JSON: parse ourselves.
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    maxRedirects: 0,
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
  });
}

/** POSTs one message and classifies Slack's answer; never throws. */
export async function postToSlack(client: AxiosInstance, target: SlackTarget, payload: unknown, signal: AbortSignal, now: number = Date.now()): Promise<SlackOutcome> {
  let response;
  try {
    response = await client.post<string>(target.url, payload, {
      signal,
      headers: target.token ? { Authorization: `Bearer ${target.token}` } : undefined,
    });
  } catch (err) {
    if (signal.aborted || axios.isCancel(err)) return { kind: 'cancelled' };
    // No answer at all: timeout (ECONNABORTED/ETIMEDOUT), refused, reset, DNS. All may pass.
    const code = (err as { code?: unknown }).code;
    return { kind: 'transient', status: null, code: typeof code === 'string' ? code : 'request_error' };
  }

  const { status } = response;
  const body = typeof response.data === 'string' ? response.data.trim() : '';
  if (status === 429) {
    return { kind: 'rate-limited', retryAfterMs: retryAfterMs(response.headers['retry-after'], now), status, code: errorCode(body, 'rate_limited') };
  }
  if (status >= 500) return { kind: 'transient', status, code: errorCode(body, `http_${status}`) };
  if (status < 200 || status >= 300) return { kind: 'rejected', status, code: errorCode(body, `http_${status}`) };

  if (!target.token) return { kind: 'sent', ts: null };
  // The Web API answers 200 for its own errors: `{ ok: false, error }`.
  const answer = parseJson(body);
  if (answer?.ok === true) return { kind: 'sent', ts: typeof answer.ts === 'string' ? answer.ts : null };
  const error = typeof answer?.error === 'string' ? answer.error : errorCode(body, 'invalid_response');
  return TRANSIENT_API_ERRORS.has(error) ? { kind: 'transient', status, code: error } : { kind: 'rejected', status, code: error };
}

/** Retry-After in seconds (Slack's form) or an HTTP date; 1 s when absent or unreadable. */
export function retryAfterMs(header: unknown, now: number = Date.now()): number {
  const value = Array.isArray(header) ? header[0] : header;
  if (typeof value === 'string' && value.trim() !== '') {
    const seconds = Number(value);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
    const date = Date.parse(value);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  return 1000;
}

function errorCode(body: string, fallback: string): string {
  if (!body) return fallback;
  const json = parseJson(body);
  if (typeof json?.error === 'string') return json.error;
  return body.length > MAX_CODE_LENGTH ? `${body.slice(0, MAX_CODE_LENGTH)}…` : body;
}

function parseJson(body: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(body);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
