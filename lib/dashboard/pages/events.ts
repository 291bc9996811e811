// <mount>/events?requestId=… : the events of one request, so a client quoting its X-Request-Id leads straight to the report.
import { html } from '../html';
import { localTime } from '../labels';
import { queryParam, type PageContext } from '../view';
import { emptyState } from './parts';

export async function eventsPage(page: PageContext) {
  const requestId = queryParam(page.ctx, 'requestId', 200)?.trim();
  const events = requestId ? await page.store.findEvents({ requestId }) : [];
  const form = html`<form method="get" action="${page.base}/events" class="panel filters" role="search">
<label>Request id<input type="search" name="requestId" value="${requestId ?? ''}" placeholder="X-Request-Id of the response"></label>
<button type="submit">Find</button></form>`;
  const rows = events.map((event) => html`<tr>
<td class="issue"><a class="title" href="${page.base}/issues/${encodeURIComponent(event.fingerprint)}?event=${encodeURIComponent(event.id)}#event">${event.title}</a><div class="sub mono">${event.id}</div></td>
<td data-label="Kind">${event.kind}</td><td class="num" data-label="Status">${event.status}</td><td data-label="Environment">${event.environment}</td>
<td class="num" data-label="Time">${localTime(event.timestamp)}</td></tr>`);
  const results = requestId
    ? rows.length
      ? html`<div class="panel"><table class="cards"><thead><tr><th>Event</th><th>Kind</th><th class="num">Status</th><th>Environment</th><th class="num">Time</th></tr></thead><tbody>${rows}</tbody></table></div>`
      : html`<div class="panel">${emptyState('No stored event has this request id. Only server errors (5xx) and broken links are stored: a request answered 4xx (401, 404 without a referer, 422…) or 2xx leaves no event.')}</div>`
    : '';
  return { title: 'Find by request id', body: html`<h1>Find by request id</h1>${form}${results}` };
}
