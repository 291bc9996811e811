// An issue's activity, newest first: who changed its status, when and from where, and
// what the store recorded itself (regressions, snooze ends, a new or an older release).
import { html, type SafeHtml } from '../html';
import type { ActivityEntry } from '../../contracts/issueStore';
import { localTime } from '../labels';

const WORDS: Record<string, string> = {
  resolved: 'Resolved', ignored: 'Ignored', snoozed: 'Snoozed', reopened: 'Reopened', regressed: 'Regressed',
  'snooze-ended': 'Snooze ended', 'new-release': 'First event in a new release', 'old-release': 'Seen in an older release', created: 'First seen',
};

export function activityPanel(entries: ActivityEntry[] | null): SafeHtml | string {
  if (!entries) return '';
  const row = (entry: ActivityEntry) => html`<li class="activity-entry" data-action="${entry.action}">${localTime(entry.at)}
<strong>${Object.hasOwn(WORDS, entry.action) ? WORDS[entry.action] : entry.action}</strong>${entry.detail ? html` <span class="detail">${entry.detail}</span>` : ''}
${entry.actor ? html` by <span class="actor">${entry.actor}</span>` : ''}${entry.via ? html` <span class="muted">(${entry.via})</span>` : ''}</li>`;
  return html`<section class="panel section activity"><h2>Activity</h2>
${entries.length ? html`<ol class="activity-log">${entries.map(row)}</ol>` : html`<p class="muted">Nothing yet.</p>`}</section>`;
}
