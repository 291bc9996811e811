// Who and what an issue touches: the facts grid (events, users, ≈ visitors, releases,
// the release it was resolved in) and the breakdowns of its last 14 days by release,
// environment, route, browser family and host, each value with its count and share.
import { html, type SafeHtml } from '../html';
import type { BreakdownRow, IssueBreakdowns, IssueSummary } from '../../contracts/issueStore';
import { localTime, plural, releaseLabel } from '../labels';

export function facts(issue: IssueSummary, last24h: number | null): SafeHtml {
  const fact = (label: string, value: unknown, cls = '') => html`<div${cls ? html` class="${cls}"` : ''}><dt>${label}</dt><dd>${value}</dd></div>`;
  const list = (values: unknown, label: (v: unknown) => SafeHtml | string = String) =>
    (Array.isArray(values) && values.length ? values.slice(0, 10).map((v, i) => html`${i ? ', ' : ''}${label(v)}`) : '–');
  const visitors = typeof issue.visitors === 'number' && issue.visitors > 0
    ? html` <span class="visitors" title="Distinct anonymous clients (a keyed hash of the IP, never the IP itself)">≈ ${plural(issue.visitors, 'visitor')}</span>` : '';
  return html`<dl class="facts">
${fact(issue.kind === 'broken-link' ? 'Hits' : 'Events', html`${Number(issue.count).toLocaleString('en-US')}${visitors}`, 'events')}
${last24h === null ? '' : fact('Last 24 h', last24h.toLocaleString('en-US'))}
${fact('Users', Number(issue.users).toLocaleString('en-US'), 'users')}
${fact('First seen', localTime(issue.firstSeen))}
${fact('Last seen', localTime(issue.lastSeen))}
${fact('Environments', list(issue.environments))}
${fact('Releases', list(issue.releases, releaseLabel))}
${issue.resolvedAt ? fact('Resolved', localTime(issue.resolvedAt)) : ''}
${issue.resolvedIn ? fact('Resolved in', releaseLabel(issue.resolvedIn), 'resolved-in') : ''}
${issue.regressedAt ? fact('Regressed', localTime(issue.regressedAt)) : ''}
</dl>
${issue.oldReleaseSeen ? html`<p class="notice old-release">Seen again in ${releaseLabel(issue.oldReleaseSeen)} (older release)${issue.oldReleaseSeenAt ? html`, ${localTime(issue.oldReleaseSeenAt)}` : ''}: counted, not reopened.</p>` : ''}`;
}

const DIMENSIONS: Array<[keyof Omit<IssueBreakdowns, 'days' | 'total'>, string]> = [
  ['release', 'Release'], ['environment', 'Environment'], ['route', 'Route'], ['browser', 'Browser'], ['host', 'Host'],
];

export function breakdownsPanel(breakdowns: IssueBreakdowns | null): SafeHtml | string {
  if (!breakdowns) return '';
  const { total } = breakdowns;
  const table = (key: (typeof DIMENSIONS)[number][0], label: string) => {
    const rows: BreakdownRow[] = Array.isArray(breakdowns[key]) ? breakdowns[key] : [];
    return html`<div class="breakdown" data-dimension="${key}"><h3>${label}</h3>${rows.length ? html`<table>${rows.map((row) => {
      const share = total > 0 ? Math.round((row.count / total) * 100) : 0;
      return html`<tr><td class="value">${key === 'release' ? releaseLabel(row.value) : row.value}</td><td class="num">${row.count.toLocaleString('en-US')}</td><td class="num share">${share}%</td></tr>`;
    })}</table>` : html`<p class="muted">–</p>`}</div>`;
  };
  return html`<section class="panel section breakdowns"><h2>Last ${breakdowns.days} days: ${plural(total, 'occurrence')}</h2>
<div class="breakdown-grid">${DIMENSIONS.map(([key, label]) => table(key, label))}</div></section>`;
}
