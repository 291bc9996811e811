// <mount>/issues/<fingerprint> : one issue (the page an alert's link opens), with its
// status and actions, counts, charts and the latest event with a pager through earlier ones.
import { occurrenceChart } from '../chart';
import { externalLink, html } from '../html';
import type { IssueSummary, StoredEventView } from '../../ports';
import { errorPage, statusForm } from '../layout';
import { SNOOZE_CHOICES } from '../actions';
import { exactTime, toDate } from '../relativeTime';
import { pageNumber, queryParam, type PageContext } from '../view';
import { eventDetails } from './eventDetails';
import { headline, statusBadge } from './parts';

export async function issuePage(page: PageContext, fingerprint: string) {
  const { store } = page;
  const issue = (await store.getIssue('error', fingerprint)) ?? (await store.getIssue('broken-link', fingerprint));
  if (!issue) return { title: 'Issue not found', status: 404, body: errorPage('Issue not found', 'No issue has this fingerprint (or its events have expired and it was deleted).') };

  if (issue.kind === 'broken-link') return { title: headline(issue), body: brokenLinkPage(page, issue) };
  const eventId = queryParam(page.ctx, 'event');
  const eventIndex = pageNumber(queryParam(page.ctx, 'e'));
  const [hourly, daily, events, chosen] = await Promise.all([
    store.histogram(fingerprint, { by: 'hour', now: page.now }),
    store.histogram(fingerprint, { by: 'day', now: page.now }),
    eventId ? null : store.listEvents(fingerprint, { page: eventIndex, perPage: 1 }),
    eventId ? store.getEvent(eventId) : null,
  ]);
  const event: StoredEventView | null = chosen && chosen.fingerprint === fingerprint ? chosen : events?.events[0] ?? null;
  const last24h = hourly.reduce((sum, b) => sum + b.count, 0);

  const body = html`${header(page, issue)}
${facts(issue, last24h)}
<section class="panel section"><h2>Occurrences</h2>
<div class="charts"><div><div class="sub">Last 24 hours</div>${occurrenceChart(hourly, { width: 480, height: 48, label: 'occurrences in the last 24 hours' })}</div>
<div><div class="sub">Last 14 days</div>${occurrenceChart(daily, { width: 480, height: 48, label: 'occurrences in the last 14 days' })}</div></div></section>
<h2 id="event">${event ? html`Event of ${exactTime(toDate(event.timestamp))}` : 'Events'}</h2>
${eventPager(page, eventId ? null : eventIndex, events?.hasMore ?? false)}
${event ? eventDetails(page, event) : html`<p class="muted">No stored event (events are kept for the store's retention period).</p>`}`;
  return { title: headline(issue), body };
}

function header(page: PageContext, issue: IssueSummary) {
  const where = issue.kind === 'broken-link' ? issue.url : issue.culprit;
  return html`<div class="head"><div>
<h1>${headline(issue)}</h1>
<div class="sub">${where ? html`<span class="mono">${where}</span> · ` : ''}${issue.title}</div>
</div>
<div class="actions">${statusBadge(issue)}${issue.regressedAt && issue.status === 'open' ? html`<span class="badge regression" title="Reopened ${exactTime(toDate(issue.regressedAt))}">regression</span>` : ''}
${actions(page, issue)}</div></div>`;
}

/** A broken link keeps counts and user-agent samples, not one event per hit. */
function brokenLinkPage(page: PageContext, issue: IssueSummary) {
  return html`${header(page, issue)}
${facts(issue, null)}
${brokenLinkFacts(issue)}`;
}

function actions(page: PageContext, issue: IssueSummary) {
  const { kind, fingerprint, status } = issue;
  const snoozeSelect = html`<select name="snooze" aria-label="Snooze for">${Object.entries(SNOOZE_CHOICES).map(([value, c]) => html`<option value="${value}">${c.label}</option>`)}</select>`;
  return html`${status !== 'resolved' ? statusForm(page, kind, fingerprint, 'resolved', 'Resolve') : ''}
${status !== 'open' ? statusForm(page, kind, fingerprint, 'open', 'Reopen') : ''}
${status !== 'ignored' ? statusForm(page, kind, fingerprint, 'ignored', 'Ignore') : ''}
${statusForm(page, kind, fingerprint, 'snoozed', 'Snooze', snoozeSelect)}`;
}

function facts(issue: IssueSummary, last24h: number | null) {
  const fact = (label: string, value: unknown) => html`<div><dt>${label}</dt><dd>${value}</dd></div>`;
  const list = (values: unknown) => (Array.isArray(values) && values.length ? values.map(String).join(', ') : '–');
  return html`<dl class="facts">
${fact(issue.kind === 'broken-link' ? 'Hits' : 'Events', Number(issue.count).toLocaleString('en-US'))}
${last24h === null ? '' : fact('Last 24 h', last24h.toLocaleString('en-US'))}
${fact('Users', Number(issue.users).toLocaleString('en-US'))}
${fact('First seen', html`<span title="${exactTime(toDate(issue.firstSeen))}">${exactTime(toDate(issue.firstSeen))}</span>`)}
${fact('Last seen', html`<span title="${exactTime(toDate(issue.lastSeen))}">${exactTime(toDate(issue.lastSeen))}</span>`)}
${fact('Environments', list(issue.environments))}
${fact('Releases', list(issue.releases))}
${issue.resolvedAt ? fact('Resolved', exactTime(toDate(issue.resolvedAt))) : ''}
${issue.regressedAt ? fact('Regressed', exactTime(toDate(issue.regressedAt))) : ''}
</dl>`;
}

function brokenLinkFacts(issue: IssueSummary) {
  return html`<section class="panel section"><h2>Broken link</h2><table class="kv">
<tr><td>URL</td><td class="mono">${issue.url ?? ''}</td></tr>
<tr><td>Referer</td><td>${externalLink(issue.referer ?? '')} ${issue.internal ? html`<span class="badge internal">internal</span>` : html`<span class="badge">external</span>`}</td></tr>
<tr><td>User agents</td><td>${(issue.userAgents ?? []).map((ua) => html`<div class="mono">${ua}</div>`)}</td></tr>
</table></section>`;
}

/** "Newer / Older" through the issue's events, newest first, one per page. */
function eventPager(page: PageContext, index: number | null, hasMore: boolean) {
  const link = (n: number) => `${page.base}${page.rest}?e=${n}#event`;
  if (index === null) return html`<div class="pager"><a href="${link(1)}">Latest event</a></div>`;
  return html`<div class="pager"><span class="muted">Event ${index}</span>
${index > 1 ? html`<a href="${link(index - 1)}" rel="prev">← Newer</a>` : html`<span class="muted">← Newer</span>`}
${hasMore ? html`<a href="${link(index + 1)}" rel="next">Older →</a>` : html`<span class="muted">Older →</span>`}</div>`;
}
