// <mount>/ : the issues list with filters, search, sort, pagination and bulk triage.
import { html, type SafeHtml } from '../html';
import type { FilterValues, IssueSummary } from '../../contracts/issueStore';
import type { ReportKind } from '../../report/Report';
import { plural } from '../labels';
import { KIND_CHOICES, listQuery, SORT_CHOICES, STATUS_CHOICES } from '../listQuery';
import type { PageContext } from '../view';
import { bulkToolbar, emptyState, headline, issueHref, pager, rowCharts, rowCheckbox, select, statusBadge, textInput, timeCell } from './parts';
import { upstreamLine } from './upstream';

export async function issuesPage(page: PageContext) {
  const query = listQuery(page.ctx, page.perPage, 'error');
  const { kindChoice, statusChoice, ...storeQuery } = query;
  const [result, values] = await Promise.all([page.store.listIssues(storeQuery), filterValues(page, storeQuery.kind)]);
  const charts = await rowCharts(page.store, result.issues, page.now);

  const filters = html`<form method="get" action="${page.base}/" class="panel filters" role="search">
${textInput('q', query.q, 'Search', 'search', 'title, type, message, culprit')}
${select('status', statusChoice, STATUS_CHOICES, 'Status')}
${select('kind', kindChoice, KIND_CHOICES, 'Kind')}
${valueFilter('environment', 'Environment', query.environment, values?.environments)}
${valueFilter('release', 'Release', query.release, values?.releases)}
${select('sort', query.sort as string, SORT_CHOICES, 'Sort by')}
<button type="submit">Apply</button></form>`;

  const rows = result.issues.map((issue) => issueRow(page, issue, charts.get(issue.fingerprint)));
  const body = html`<h1>Issues</h1>
${filters}
<div class="panel">
${bulkToolbar(page)}
${rows.length ? html`<table class="issues cards">
<thead><tr><th></th><th>Issue</th><th class="num">Events</th><th class="num">Users</th><th>Last 24 h</th><th>First seen</th><th>Last seen</th><th>Status</th></tr></thead>
<tbody>${rows}</tbody></table>` : emptyState('No issues match these filters.')}
${pager(page, result.page, result.hasMore)}
</div>`;
  return { title: 'Issues', body };
}

/** The releases and environments the store has seen, when it can say (else free-text filters). */
async function filterValues(page: PageContext, kind: ReportKind | undefined): Promise<FilterValues | null> {
  return page.store.filterValues ? page.store.filterValues(kind ? { kind } : {}) : null;
}

/** A select of the values actually seen ("Any" first; a value from the URL kept even when no longer seen); short shas, full in the tooltip. */
function valueFilter(name: 'environment' | 'release', label: string, current: string | undefined, seen: string[] | undefined): SafeHtml {
  if (!seen) return textInput(name, current, label, 'text', 'any');
  const values = current && !seen.includes(current) ? [current, ...seen] : seen;
  const text = (v: string) => (name === 'release' && /^[0-9a-f]{8,64}$/i.test(v) ? v.slice(0, 7) : v);
  return html`<label>${label}<select name="${name}" data-autosubmit><option value="">Any</option>${values.map((v) =>
    html`<option value="${v}" title="${v}"${v === current ? html` selected` : ''}>${text(v)}</option>`)}</select></label>`;
}

function issueRow(page: PageContext, issue: IssueSummary, chart: unknown) {
  const upstream = upstreamLine(issue.upstream);
  const where = issue.kind === 'broken-link' ? (issue.referer ? `from ${issue.referer}` : null) : issue.culprit;
  const visitors = typeof issue.visitors === 'number' && issue.visitors > 0 ? html`<div class="sub visitors">≈ ${plural(issue.visitors, 'visitor')}</div>` : '';
  return html`<tr data-fingerprint="${issue.fingerprint}">
<td class="select">${rowCheckbox(issue)}</td>
<td class="issue"><a class="title" href="${issueHref(page, issue)}">${headline(issue)}</a>
${issue.regressedAt && issue.status === 'open' ? html` <span class="badge regression" title="Reopened after it was resolved">regression</span>` : ''}
<div class="sub">${upstream ? html`<span class="mono upstream">${upstream}</span> · ` : ''}${where ? html`<span class="mono">${where}</span> · ` : ''}${issue.title}</div></td>
<td class="num" data-label="Events">${issue.count.toLocaleString('en-US')}</td>
<td class="num" data-label="Users">${issue.users.toLocaleString('en-US')}${visitors}</td>
<td data-label="Last 24 h">${chart}</td>
<td class="num" data-label="First seen">${timeCell(issue.firstSeen, page.now)}</td>
<td class="num" data-label="Last seen">${timeCell(issue.lastSeen, page.now)}</td>
<td data-label="Status">${statusBadge(issue)}</td>
</tr>`;
}

