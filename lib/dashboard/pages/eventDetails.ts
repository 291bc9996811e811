// One stored event, as the issue page shows it: the upstream an HTTP client failed
// against, the exception with its frames, the cause chain, the scrubbed request, the
// user and where it happened. Stored data is read defensively: any field may be missing
// or of another type.
import { externalLink, html, prettyJson, textOf, type SafeHtml } from '../html';
import type { StoredEventView } from '../../contracts/issueStore';
import { clientIp } from '../auth';
import { localTime, releaseLabel } from '../labels';
import type { PageContext } from '../view';
import { asObject, exception } from './frames';
import { headers, upstreamPanel } from './upstream';

type Loose = Record<string, unknown>;

export function eventDetails(_page: PageContext, event: StoredEventView): SafeHtml {
  const error = asObject(event.error);
  const request = asObject(event.request);
  const user = asObject(event.user);
  const occurrences = Number(event.occurrences) || 1;
  return html`
${occurrences > 1 ? html`<div class="notice">This event stands for <strong>${occurrences}</strong> occurrences folded together (past the rate limit).</div>` : ''}
${upstreamPanel(error)}
${error ? exception(error, 'Exception') : ''}
${error ? causes(error.cause) : ''}
${error && isNonEmptyObject(error.extra) ? html`<h3>Error properties</h3><pre>${prettyJson(error.extra)}</pre>` : ''}
${request ? requestSection(request) : ''}
<section class="panel section"><h2>Context</h2><table class="kv">
${kv('User', user ? `${textOf(user.username ?? '')}${user.id ? ` (id ${textOf(user.id)})` : ''}` || 'Anonymous' : 'Anonymous')}
${kv('Environment', event.environment)}
<tr><td>Release</td><td>${releaseLabel(event.release)}</td></tr>
${kv('Host', `${textOf(event.host)}${event.pid ? ` (pid ${textOf(event.pid)})` : ''}`)}
${kv('HTTP status', event.status)}
<tr><td>Time</td><td>${localTime(event.timestamp)}</td></tr>
${kv('Occurrences', occurrences)}
${kv('Event id', event.id)}
</table></section>`;
}

function causes(value: unknown): SafeHtml | string {
  const chain = Array.isArray(value) ? value.map(asObject).filter((c): c is Loose => c !== null) : [];
  return chain.length ? html`${chain.map((cause, i) => exception(cause, i === 0 ? 'Caused by' : `Caused by (${i + 1})`))}` : '';
}

function requestSection(request: Loose): SafeHtml {
  const url = textOf(request.url ?? request.path ?? '');
  return html`<section class="panel section request"><h2>Request</h2>
<p class="mono"><strong>${textOf(request.method ?? '')}</strong> ${url}</p>
<table class="kv">
${kv('Route', request.route ?? '–')}
${kv('IP', clientIp(request.ip) || '–')}
${kv('Request id', request.requestId ?? '–')}
${kv('User agent', request.userAgent ?? '–')}
<tr><td>Referer</td><td>${request.referer ? externalLink(request.referer) : '–'}</td></tr>
</table>
${isNonEmptyObject(request.query) ? html`<h3>Query</h3><pre>${prettyJson(request.query)}</pre>` : ''}
${headers('Headers', request.headers)}
${request.body !== null && request.body !== undefined && request.body !== '' ? html`<h3>Body</h3><pre>${prettyJson(request.body)}</pre>` : ''}
</section>`;
}

function kv(label: string, value: unknown): SafeHtml {
  return html`<tr><td>${label}</td><td>${value === null || value === undefined ? '–' : textOf(value)}</td></tr>`;
}

function isNonEmptyObject(value: unknown): boolean {
  return value !== null && typeof value === 'object' && Object.keys(value as object).length > 0;
}
