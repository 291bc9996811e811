// One stored event, as the issue page shows it: the exception with its frames (in-app
// ones highlighted, with source context when the report carries it), the cause chain,
// the scrubbed request, the user and where it happened. Stored data is read defensively:
// any field may be missing or of another type.
import { externalLink, html, prettyJson, textOf, type SafeHtml } from '../html';
import type { StoredEventView } from '../../ports';
import { exactTime, toDate } from '../relativeTime';
import type { PageContext } from '../view';

type Loose = Record<string, unknown>;

interface FrameContext {
  pre: string[];
  line: string;
  post: string[];
}

export function eventDetails(page: PageContext, event: StoredEventView): SafeHtml {
  const error = asObject(event.error);
  const request = asObject(event.request);
  const user = asObject(event.user);
  const occurrences = Number(event.occurrences) || 1;
  return html`
${occurrences > 1 ? html`<div class="notice">This event stands for <strong>${occurrences}</strong> occurrences folded together (past the rate limit).</div>` : ''}
${error ? exception(error, 'Exception') : ''}
${error ? causes(error.cause) : ''}
${error && isNonEmptyObject(error.extra) ? html`<h3>Error properties</h3><pre>${prettyJson(error.extra)}</pre>` : ''}
${request ? requestSection(request) : ''}
<section class="panel section"><h2>Context</h2><table class="kv">
${kv('User', user ? `${textOf(user.username ?? '')}${user.id ? ` (id ${textOf(user.id)})` : ''}` || 'Anonymous' : 'Anonymous')}
${kv('Environment', event.environment)}
${kv('Release', event.release ?? '–')}
${kv('Host', `${textOf(event.host)}${event.pid ? ` (pid ${textOf(event.pid)})` : ''}`)}
${kv('HTTP status', event.status)}
${kv('Time', exactTime(toDate(event.timestamp)))}
${kv('Occurrences', occurrences)}
${kv('Event id', event.id)}
</table></section>`;
}

function exception(error: Loose, heading: string): SafeHtml {
  const frames = Array.isArray(error.frames) ? error.frames.map(asObject).filter((f): f is Loose => f !== null) : [];
  // Stack traces list the innermost call first, as Node prints them.
  return html`<section class="panel section exception"><h2>${heading}</h2>
<p><strong class="mono">${textOf(error.type ?? 'Error')}</strong>: <span class="message">${textOf(error.message ?? '')}</span></p>
${frames.length ? html`<ol class="frames">${frames.map(frame)}</ol>`
    : typeof error.stack === 'string' && error.stack ? html`<pre>${error.stack}</pre>` : html`<p class="muted">No stack trace.</p>`}
</section>`;
}

function frame(f: Loose): SafeHtml {
  const inApp = f.inApp === true;
  const where = `${textOf(f.file ?? '<unknown>')}${f.line != null ? `:${textOf(f.line)}` : ''}${f.column != null ? `:${textOf(f.column)}` : ''}`;
  const context = frameContext(f.context);
  return html`<li class="frame ${inApp ? 'app' : 'lib'}"><span class="fn mono">${textOf(f.function ?? '<anonymous>')}</span> <span class="mono">${where}</span>${inApp ? '' : html` <span class="badge">library</span>`}
${context ? sourceContext(context, Number(f.line)) : ''}</li>`;
}

function frameContext(value: unknown): FrameContext | null {
  const c = asObject(value);
  if (!c || typeof c.line !== 'string') return null;
  const lines = (v: unknown) => (Array.isArray(v) ? v.filter((l): l is string => typeof l === 'string') : []);
  return { pre: lines(c.pre), line: c.line, post: lines(c.post) };
}

function sourceContext({ pre, line, post }: FrameContext, lineNumber: number): SafeHtml {
  const first = Number.isInteger(lineNumber) ? lineNumber - pre.length : null;
  const row = (text: string, offset: number, hit: boolean) =>
    html`<li${hit ? html` class="hit"` : ''}><span class="ln">${first === null ? '' : first + offset}</span>${text}</li>`;
  return html`<div class="context"><ol>${pre.map((t, i) => row(t, i, false))}${row(line, pre.length, true)}${post.map((t, i) => row(t, pre.length + 1 + i, false))}</ol></div>`;
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
${kv('IP', request.ip)}
${kv('Request id', request.requestId ?? '–')}
${kv('User agent', request.userAgent ?? '–')}
<tr><td>Referer</td><td>${request.referer ? externalLink(request.referer) : '–'}</td></tr>
</table>
${isNonEmptyObject(request.query) ? html`<h3>Query</h3><pre>${prettyJson(request.query)}</pre>` : ''}
${isNonEmptyObject(request.headers) ? html`<h3>Headers</h3>${headerTable(request.headers as Loose)}` : ''}
${request.body !== null && request.body !== undefined && request.body !== '' ? html`<h3>Body</h3><pre>${prettyJson(request.body)}</pre>` : ''}
</section>`;
}

function headerTable(headers: Loose): SafeHtml {
  return html`<table class="kv headers">${Object.entries(headers).map(([name, value]) => kv(name, typeof value === 'string' ? value : prettyJson(value)))}</table>`;
}

function kv(label: string, value: unknown): SafeHtml {
  return html`<tr><td>${label}</td><td>${value === null || value === undefined ? '–' : textOf(value)}</td></tr>`;
}

function asObject(value: unknown): Loose | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Loose) : null;
}

function isNonEmptyObject(value: unknown): boolean {
  return value !== null && typeof value === 'object' && Object.keys(value as object).length > 0;
}
