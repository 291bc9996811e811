// The upstream an HTTP client call failed against (`error.http`: axios, got, undici/fetch,
// node:http), shown first on the issue page: that is what a triager looks for, not the
// client library's frames.
import { STATUS_CODES } from 'node:http';
import { html, prettyJson, textOf, type SafeHtml } from '../html';
import { asObject } from './frames';

type Loose = Record<string, unknown>;

export function upstreamPanel(error: Loose | null): SafeHtml | string {
  const http = asObject(error?.http);
  if (!http) return '';
  const status = typeof http.status === 'number' ? http.status : null;
  const statusText = typeof http.statusText === 'string' && http.statusText ? http.statusText : status ? STATUS_CODES[status] ?? '' : '';
  const timing = typeof http.durationMs === 'number' && Number.isFinite(http.durationMs) ? `${Math.round(http.durationMs)} ms` : null;
  return html`<section class="panel section upstream"><h2>Upstream request</h2>
<p class="mono upstream-line"><strong>${textOf(http.method ?? '')}</strong> <span class="upstream-url">${textOf(http.url ?? '(URL unknown)')}</span></p>
<table class="kv">
<tr><td>Response</td><td>${status !== null ? html`<strong class="upstream-status">${status}</strong> ${statusText}` : html`<span class="muted">no response${http.code ? ` (${textOf(http.code)})` : ''}</span>`}</td></tr>
${status !== null && http.code ? html`<tr><td>Code</td><td class="mono">${textOf(http.code)}</td></tr>` : ''}
${timing ? html`<tr><td>Time</td><td>${timing}</td></tr>` : ''}
<tr><td>Client</td><td>${textOf(http.client ?? '–')}</td></tr>
</table>
${headers('Request headers', http.requestHeaders)}
${headers('Response headers', http.responseHeaders)}
</section>`;
}

export function headers(heading: string, value: unknown): SafeHtml | string {
  const object = asObject(value);
  if (!object || Object.keys(object).length === 0) return '';
  return html`<h3>${heading}</h3><table class="kv headers">${Object.entries(object).map(([name, v]) =>
    html`<tr><td>${name}</td><td>${typeof v === 'string' ? v : prettyJson(v)}</td></tr>`)}</table>`;
}

/** "GET api.stripe.com → 502" for the list's subtitle. */
export function upstreamLine(upstream: { method: string | null; host: string | null; status: number | null } | null | undefined): string | null {
  if (!upstream || !upstream.host) return null;
  return `${upstream.method ? `${upstream.method} ` : ''}${upstream.host}${upstream.status ? ` → ${upstream.status}` : ''}`;
}
