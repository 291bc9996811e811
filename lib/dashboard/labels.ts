// Small labels shared by the pages: times the viewer's browser turns into its own time
// zone (UTC in the tooltip, and as the text until the script runs), short release names.
import { html, type SafeHtml } from './html';
import { exactTime, toDate } from './relativeTime';

/** An exact time: UTC as rendered, the viewer's local time once dashboard.js runs; UTC stays in the tooltip. */
export function localTime(value: unknown): SafeHtml {
  const date = toDate(value);
  if (Number.isNaN(date.getTime())) return html`<span class="muted">–</span>`;
  return html`<time datetime="${date.toISOString()}" title="${exactTime(date)}" data-local>${exactTime(date)}</time>`;
}

/** A git sha's first 7 characters (as GitHub shows it), the full value in the tooltip; other releases as they are. */
export function releaseLabel(release: unknown): SafeHtml {
  if (typeof release !== 'string' || release === '') return html`<span class="muted">–</span>`;
  return /^[0-9a-f]{8,64}$/i.test(release)
    ? html`<span class="mono" title="${release}">${release.slice(0, 7)}</span>`
    : html`<span title="${release}">${release}</span>`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}
