// Pieces shared by the pages: status badges, time cells, pagers, the bulk toolbar, charts per row.
import { html, type SafeHtml } from '../html';
import { occurrenceChart } from '../chart';
import type { HistogramBucket, IssueStore, IssueSummary } from '../../contracts/issueStore';
import { exactTime, relativeTime, toDate } from '../relativeTime';
import { backOf, issueKey } from '../layout';
import type { PageContext } from '../view';

export function statusBadge(issue: Pick<IssueSummary, 'status' | 'snoozedUntil' | 'snoozedUntilCount'>): SafeHtml {
  const status = String(issue.status);
  let detail = '';
  if (status === 'snoozed') {
    if (issue.snoozedUntil) detail = ` until ${exactTime(toDate(issue.snoozedUntil))}`;
    else if (issue.snoozedUntilCount) detail = ` for ${issue.snoozedUntilCount} more`;
  }
  return html`<span class="badge ${status}" title="${status}${detail}">${status}</span>`;
}

export function timeCell(value: unknown, now: Date): SafeHtml {
  const date = toDate(value);
  if (Number.isNaN(date.getTime())) return html`<span class="muted">–</span>`;
  return html`<time datetime="${date.toISOString()}" title="${exactTime(date)}" data-relative>${relativeTime(date, now)}</time>`;
}

export function issueHref(page: PageContext, issue: Pick<IssueSummary, 'fingerprint'>): string {
  return `${page.base}/issues/${encodeURIComponent(issue.fingerprint)}`;
}

/** Previous/next links keeping every other query parameter. */
export function pager(page: PageContext, current: number, hasMore: boolean, param = 'page'): SafeHtml {
  const link = (n: number) => {
    const query = new URLSearchParams(page.ctx.querystring);
    query.set(param, String(n));
    return `${page.base}${page.rest}?${query}`;
  };
  return html`<div class="pager"><span class="muted">Page ${current}</span>
${current > 1 ? html`<a href="${link(current - 1)}" rel="prev">← Newer</a>` : html`<span class="muted">← Newer</span>`}
${hasMore ? html`<a href="${link(current + 1)}" rel="next">Older →</a>` : html`<span class="muted">Older →</span>`}</div>`;
}

/** The bulk form: the rows' checkboxes join it through their `form` attribute. */
export function bulkToolbar(page: PageContext, extra: SafeHtml | string = ''): SafeHtml {
  return html`<form id="bulk" method="post" action="${page.base}/status" class="toolbar">
<input type="hidden" name="_csrf" value="${page.csrf}">
<input type="hidden" name="back" value="${backOf(page)}">
<label><input type="checkbox" data-select-all aria-label="Select all rows"> All</label>
<button type="submit" name="status" value="resolved" class="btn btn-resolved" data-bulk>Resolve</button>
<button type="submit" name="status" value="ignored" class="btn btn-ignored" data-bulk>Ignore</button>
<button type="submit" name="status" value="open" class="btn btn-open" data-bulk>Reopen</button>
${extra}<span class="muted" data-selected-count></span></form>`;
}

export function rowCheckbox(issue: Pick<IssueSummary, 'kind' | 'fingerprint' | 'title'>): SafeHtml {
  return html`<input type="checkbox" form="bulk" name="issue" value="${issueKey(issue.kind, issue.fingerprint)}" data-row aria-label="Select ${issue.title}">`;
}

/** Histogram queries of one list page in flight at once: enough to overlap round trips without taking the whole connection pool. */
const CHART_CONCURRENCY = 6;

/**
 * Each row's last-24-hours chart: one aggregation for the whole page when the store offers
 * `histograms()` (MongoStore does), else one query per row, a few at a time.
 */
export async function rowCharts(store: IssueStore, issues: IssueSummary[], now: Date): Promise<Map<string, SafeHtml>> {
  const fingerprints = issues.map((i) => i.fingerprint);
  let byFingerprint: Map<string, HistogramBucket[]>;
  if (store.histograms) {
    byFingerprint = await store.histograms(fingerprints, { by: 'hour', now });
  } else {
    byFingerprint = new Map();
    let next = 0;
    const worker = async () => {
      while (next < fingerprints.length) {
        const fingerprint = fingerprints[next++];
        byFingerprint.set(fingerprint, await store.histogram(fingerprint, { by: 'hour', now }));
      }
    };
    await Promise.all(Array.from({ length: Math.min(CHART_CONCURRENCY, fingerprints.length) }, worker));
  }
  return new Map(fingerprints.map((f) => [f, occurrenceChart(byFingerprint.get(f) ?? [], { label: 'occurrences in the last 24 hours' })]));
}

export function emptyState(text: string): SafeHtml {
  return html`<div class="empty-state">${text}</div>`;
}

export function select(name: string, current: string, choices: Array<[string, string]>, label: string): SafeHtml {
  return html`<label>${label}<select name="${name}" data-autosubmit>${choices.map(([value, text]) =>
    html`<option value="${value}"${value === current ? html` selected` : ''}>${text}</option>`)}</select></label>`;
}

export function textInput(name: string, current: string | undefined, label: string, type = 'text', placeholder = ''): SafeHtml {
  return html`<label>${label}<input type="${type}" name="${name}" value="${current ?? ''}" placeholder="${placeholder}"></label>`;
}

/**
 * What a developer reads first, as Sentry shows it: "TypeError: message" for an error,
 * a broken link's URL (two links on one host have the same title), the stored title
 * ("Internal Server Error: /path") otherwise.
 */
export function headline(issue: Pick<IssueSummary, 'kind' | 'title' | 'type' | 'message' | 'url'>): string {
  if (issue.kind === 'broken-link') return issue.url ?? issue.title;
  return issue.kind === 'error' && issue.type && issue.message ? `${issue.type}: ${issue.message}` : issue.title;
}
