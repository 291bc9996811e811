// <mount>/broken-links : (URL, referer) pairs, most recently seen first, with resolve and ignore.
import { externalLink, html } from '../html';
import type { IssueSummary } from '../../contracts/issueStore';
import { listQuery, STATUS_CHOICES } from '../listQuery';
import type { PageContext } from '../view';
import { bulkToolbar, emptyState, issueHref, pager, rowCharts, rowCheckbox, select, statusBadge, textInput, timeCell } from './parts';

export async function brokenLinksPage(page: PageContext) {
  const { kindChoice: _kind, statusChoice, ...query } = listQuery(page.ctx, page.perPage, 'broken-link');
  const result = await page.store.listIssues({ ...query, kind: 'broken-link' });
  const charts = await rowCharts(page.store, result.issues, page.now);
  const filters = html`<form method="get" action="${page.base}/broken-links" class="panel filters" role="search">
${textInput('q', query.q, 'Search', 'search', 'URL or referer')}
${select('status', statusChoice, STATUS_CHOICES, 'Status')}
${select('sort', query.sort as string, [['lastSeen', 'Last seen'], ['firstSeen', 'First seen'], ['count', 'Hits']], 'Sort by')}
<button type="submit">Apply</button></form>`;
  const rows = result.issues.map((link) => row(page, link, charts.get(link.fingerprint)));
  const body = html`<h1>Broken links</h1>
${filters}
<div class="panel">
${bulkToolbar(page)}
${rows.length ? html`<table class="broken-links cards">
<thead><tr><th></th><th>URL</th><th>Referer</th><th class="num">Hits</th><th>Last 24 h</th><th>First seen</th><th>Last seen</th><th>User agents</th><th>Status</th></tr></thead>
<tbody>${rows}</tbody></table>` : emptyState('No broken links match these filters.')}
${pager(page, result.page, result.hasMore)}
</div>`;
  return { title: 'Broken links', body };
}

function row(page: PageContext, link: IssueSummary, chart: unknown) {
  const agents = link.userAgents ?? [];
  return html`<tr data-fingerprint="${link.fingerprint}">
<td class="select">${rowCheckbox(link)}</td>
<td class="issue"><a class="title mono" href="${issueHref(page, link)}">${link.url ?? link.title}</a></td>
<td data-label="Referer">${externalLink(link.referer ?? '')} ${link.internal ? html`<span class="badge internal" title="The referer is on this site: the broken link is yours to fix">internal</span>` : html`<span class="badge">external</span>`}</td>
<td class="num" data-label="Hits">${Number(link.count).toLocaleString('en-US')}</td>
<td data-label="Last 24 h">${chart}</td>
<td class="num" data-label="First seen">${timeCell(link.firstSeen, page.now)}</td>
<td class="num" data-label="Last seen">${timeCell(link.lastSeen, page.now)}</td>
<td class="sub" data-label="User agents">${agents.length ? html`<span title="${agents.join('\n')}">${agents[0]}${agents.length > 1 ? html` <span class="muted">+${agents.length - 1}</span>` : ''}</span>` : '–'}</td>
<td data-label="Status">${statusBadge(link)}</td>
</tr>`;
}
