// <mount>/issues/<fingerprint> : one issue (the page an alert's link opens), with its
// status and actions, impact, charts, breakdowns, activity and one event at a time with
// a pager through the others ("Event 3 of 16").
import { occurrenceChart } from '../chart';
import { externalLink, html } from '../html';
import type { IssueStore, IssueSummary, StoredEventView } from '../../contracts/issueStore';
import { errorPage, statusForm } from '../layout';
import { SNOOZE_CHOICES } from '../actions';
import { localTime } from '../labels';
import { exactTime, toDate } from '../relativeTime';
import { findIssue, pageNumber, queryParam, type PageContext } from '../view';
import { activityPanel } from './activity';
import { eventDetails } from './eventDetails';
import { breakdownsPanel, facts } from './impact';
import { headline, statusBadge } from './parts';

/** Events counted at most this far for "of N" (then "of 1,000+"): the count stops there, whatever the issue holds. */
const MAX_COUNTED_EVENTS = 1000;

export async function issuePage(page: PageContext, fingerprint: string) {
  const { store } = page;
  const issue = await findIssue(page, fingerprint);
  if (!issue) {
    return { title: 'Issue not found', status: 404, body: errorPage('Issue not found', 'No issue has this fingerprint. An issue with no new occurrence for the store\'s retention period is deleted with its events.') };
  }
  const [activity, breakdowns] = await Promise.all([
    store.activity ? store.activity(issue.kind, fingerprint) : null,
    store.breakdowns && issue.kind === 'error' ? store.breakdowns(fingerprint, { now: page.now }) : null,
  ]);
  if (issue.kind === 'broken-link') return { title: headline(issue), body: html`${header(page, issue)}${facts(issue, null)}${brokenLinkFacts(issue)}${activityPanel(activity)}` };

  const eventId = queryParam(page.ctx, 'event');
  const eventIndex = pageNumber(queryParam(page.ctx, 'e'));
  const [hourly, daily, events, chosen, total] = await Promise.all([
    store.histogram(fingerprint, { by: 'hour', now: page.now }),
    store.histogram(fingerprint, { by: 'day', now: page.now }),
    eventId ? null : store.listEvents(fingerprint, { page: eventIndex, perPage: 1 }),
    eventId ? store.getEvent(eventId) : null,
    countEvents(store, fingerprint),
  ]);
  const event: StoredEventView | null = chosen && chosen.fingerprint === fingerprint ? chosen : events?.events[0] ?? null;
  const last24h = hourly.reduce((sum, b) => sum + b.count, 0);

  const body = html`${header(page, issue)}
${facts(issue, last24h)}
<section class="panel section"><h2>Occurrences</h2>
<div class="charts"><div><div class="sub">Last 24 hours</div>${occurrenceChart(hourly, { width: 480, height: 48, label: 'occurrences in the last 24 hours', big: true })}</div>
<div><div class="sub">Last 14 days</div>${occurrenceChart(daily, { width: 480, height: 48, label: 'occurrences in the last 14 days', big: true })}</div></div></section>
${breakdownsPanel(breakdowns)}
<h2 id="event">${event ? html`Event of ${localTime(event.timestamp)}` : 'Events'}</h2>
${eventPager(page, eventId ? null : eventIndex, events?.hasMore ?? false, total)}
${event ? eventDetails(page, event) : html`<p class="muted">No stored event: events are kept for the store's retention period, and the issue goes with its last one.</p>`}
${activityPanel(activity)}`;
  return { title: headline(issue), body };
}

function header(page: PageContext, issue: IssueSummary) {
  const where = issue.kind === 'broken-link' ? (issue.referer ? `from ${issue.referer}` : null) : issue.culprit;
  const grouping = issue.grouping && typeof issue.grouping.detail === 'string' ? issue.grouping : null;
  return html`<div class="head"><div>
<h1>${headline(issue)}</h1>
<div class="sub">${where ? html`<span class="mono">${where}</span> · ` : ''}${issue.title}</div>
${grouping ? html`<div class="sub grouping" title="How this issue was grouped">Grouped by ${grouping.detail}</div>` : ''}
</div>
<div class="actions">${statusBadge(issue)}${issue.regressedAt && issue.status === 'open' ? html`<span class="badge regression" title="Reopened ${exactTime(toDate(issue.regressedAt))}">regression</span>` : ''}
${actions(page, issue)}</div></div>`;
}

function actions(page: PageContext, issue: IssueSummary) {
  const { kind, fingerprint, status } = issue;
  const snoozeSelect = html`<select name="snooze" aria-label="Snooze for">${Object.entries(SNOOZE_CHOICES).map(([value, c]) => html`<option value="${value}">${c.label}</option>`)}</select>`;
  return html`${status !== 'resolved' ? statusForm(page, kind, fingerprint, 'resolved', 'Resolve') : ''}
${status !== 'open' ? statusForm(page, kind, fingerprint, 'open', 'Reopen') : ''}
${status !== 'ignored' ? statusForm(page, kind, fingerprint, 'ignored', 'Ignore') : ''}
${statusForm(page, kind, fingerprint, 'snoozed', 'Snooze', snoozeSelect)}`;
}

/** A broken link keeps counts and user-agent samples, not one event per hit. */
function brokenLinkFacts(issue: IssueSummary) {
  return html`<section class="panel section"><h2>Broken link</h2><table class="kv">
<tr><td>URL</td><td class="mono">${issue.url ?? ''}</td></tr>
<tr><td>Referer</td><td>${externalLink(issue.referer ?? '')} ${issue.internal ? html`<span class="badge internal">internal</span>` : html`<span class="badge">external</span>`}</td></tr>
<tr><td>User agents</td><td>${(issue.userAgents ?? []).map((ua) => html`<div class="mono">${ua}</div>`)}</td></tr>
</table></section>`;
}

/** How many events the issue keeps, up to MAX_COUNTED_EVENTS (null past it). */
export async function countEvents(store: IssueStore, fingerprint: string): Promise<number | null> {
  const counted = await store.countEvents(fingerprint, { max: MAX_COUNTED_EVENTS + 1 });
  return counted > MAX_COUNTED_EVENTS ? null : counted;
}

/** "Event 3 of 16" with Newest / Newer / Older / Oldest, newest first, one per page. */
function eventPager(page: PageContext, index: number | null, hasMore: boolean, total: number | null) {
  const link = (n: number) => `${page.base}${page.rest}?e=${n}#event`;
  if (index === null) return html`<div class="pager"><a href="${link(1)}">Latest event</a></div>`;
  if (total === 0) return '';
  const of = total === null ? `${MAX_COUNTED_EVENTS.toLocaleString('en-US')}+` : total.toLocaleString('en-US');
  const go = (show: boolean, n: number, text: string, rel = '') => (show ? html`<a href="${link(n)}"${rel ? html` rel="${rel}"` : ''}>${text}</a>` : html`<span class="muted">${text}</span>`);
  return html`<div class="pager"><span class="muted" data-event-position>Event ${index.toLocaleString('en-US')} of ${of}</span>
${go(index > 1, 1, '« Newest', 'first')}${go(index > 1, index - 1, '← Newer', 'prev')}${go(hasMore, index + 1, 'Older →', 'next')}${go(hasMore && total !== null, total ?? 1, 'Oldest »', 'last')}</div>`;
}

