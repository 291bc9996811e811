// <mount>/ : the issues list with filters, search, sort, pagination and bulk triage.
import { html } from '../html';
import type { IssueQuery, IssueSort, IssueSummary } from '../../ports';
import type { IssueStatus } from '../../ports';
import type { ReportKind } from '../../report/Report';
import { pageNumber, queryParam, type PageContext } from '../view';
import { bulkToolbar, emptyState, headline, issueHref, pager, rowCharts, rowCheckbox, select, statusBadge, textInput, timeCell } from './parts';

const STATUS_CHOICES: Array<[IssueStatus | 'all', string]> = [['open', 'Open'], ['snoozed', 'Snoozed'], ['resolved', 'Resolved'], ['ignored', 'Ignored'], ['all', 'All']];
const KIND_CHOICES: Array<[string, string]> = [['error', 'Errors'], ['broken-link', 'Broken links'], ['all', 'All kinds']];
const SORT_CHOICES: Array<[IssueSort, string]> = [['lastSeen', 'Last seen'], ['firstSeen', 'First seen'], ['count', 'Events']];

/** The list query from the URL, every value checked against what it may be. */
export function issueQuery(page: PageContext, defaultKind: ReportKind | 'all'): IssueQuery & { kindChoice: string; statusChoice: string } {
  const status = choice(queryParam(page.ctx, 'status'), STATUS_CHOICES.map(([v]) => v), 'open');
  const kindChoice = choice(queryParam(page.ctx, 'kind'), KIND_CHOICES.map(([v]) => v), defaultKind);
  return {
    status: status as IssueQuery['status'],
    statusChoice: status,
    kind: kindChoice === 'all' ? undefined : (kindChoice as ReportKind),
    kindChoice,
    environment: queryParam(page.ctx, 'environment'),
    release: queryParam(page.ctx, 'release'),
    q: queryParam(page.ctx, 'q'),
    sort: choice(queryParam(page.ctx, 'sort'), SORT_CHOICES.map(([v]) => v), 'lastSeen') as IssueSort,
    page: pageNumber(queryParam(page.ctx, 'page')),
    perPage: page.perPage,
  };
}

export async function issuesPage(page: PageContext) {
  const query = issueQuery(page, 'error');
  const { kindChoice, statusChoice, ...storeQuery } = query;
  const result = await page.store.listIssues(storeQuery);
  const charts = await rowCharts(page.store, result.issues, page.now);

  const filters = html`<form method="get" action="${page.base}/" class="panel filters" role="search">
${textInput('q', query.q, 'Search', 'search', 'title, type, message, culprit')}
${select('status', statusChoice, STATUS_CHOICES, 'Status')}
${select('kind', kindChoice, KIND_CHOICES, 'Kind')}
${textInput('environment', query.environment, 'Environment', 'text', 'any')}
${textInput('release', query.release, 'Release', 'text', 'any')}
${select('sort', query.sort as string, SORT_CHOICES, 'Sort by')}
<button type="submit">Apply</button></form>`;

  const rows = result.issues.map((issue) => issueRow(page, issue, charts.get(issue.fingerprint)));
  const body = html`<h1>Issues</h1>
${filters}
<div class="panel">
${bulkToolbar(page)}
${rows.length ? html`<table class="issues">
<thead><tr><th></th><th>Issue</th><th class="num">Events</th><th class="num">Users</th><th>Last 24 h</th><th>First seen</th><th>Last seen</th><th>Status</th></tr></thead>
<tbody>${rows}</tbody></table>` : emptyState('No issues match these filters.')}
${pager(page, result.page, result.hasMore)}
</div>`;
  return { title: 'Issues', body };
}

function issueRow(page: PageContext, issue: IssueSummary, chart: unknown) {
  const where = issue.kind === 'broken-link' ? (issue.referer ? `from ${issue.referer}` : null) : issue.culprit;
  return html`<tr data-fingerprint="${issue.fingerprint}">
<td>${rowCheckbox(issue)}</td>
<td><a class="title" href="${issueHref(page, issue)}">${headline(issue)}</a>
${issue.regressedAt && issue.status === 'open' ? html` <span class="badge regression" title="Reopened after it was resolved">regression</span>` : ''}
<div class="sub">${where ? html`<span class="mono">${where}</span> · ` : ''}${issue.title}</div></td>
<td class="num">${issue.count.toLocaleString('en-US')}</td>
<td class="num">${issue.users.toLocaleString('en-US')}</td>
<td>${chart}</td>
<td class="num">${timeCell(issue.firstSeen, page.now)}</td>
<td class="num">${timeCell(issue.lastSeen, page.now)}</td>
<td>${statusBadge(issue)}</td>
</tr>`;
}

function choice<T extends string>(value: string | undefined, allowed: readonly T[], fallback: T): T {
  return value !== undefined && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}
