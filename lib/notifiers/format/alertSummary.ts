import type { AlertSummary } from '../../report/Report';
import { formatWindow } from './alertReason';

const NOUNS = {
  error: { one: 'new issue', many: 'new issues', known: 'of known issues' },
  'broken-link': { one: 'broken link', many: 'broken links', known: 'of known broken links' },
} as const;

/**
 * "…and 37 more new issues in the last 10 min": the headline of the message that stands
 * for the alerts of one kind held back past a notifier's budget (mixed: "…and 40 more
 * alerts (37 new issues, 3 of known issues) in the last 10 min").
 */
export function describeSummary(summary: AlertSummary): string {
  const noun = NOUNS[summary.kind] ?? NOUNS.error;
  const fresh = summary.newIssues > 0 ? `${summary.newIssues} ${summary.newIssues === 1 ? noun.one : noun.many}` : null;
  const known = summary.others > 0 ? `${summary.others} ${noun.known}` : null;
  const alerts = `${summary.held} more ${summary.held === 1 ? 'alert' : 'alerts'}`;
  const what = fresh && known ? `${alerts} (${fresh}, ${known})` : fresh ? fresh.replace(/^(\d+)/, '$1 more') : `${alerts} ${noun.known}`;
  // A close may end the window early; under a second still reads as a time.
  return `…and ${what} in the last ${formatWindow(Math.max(1000, summary.elapsedMs))}`;
}

/** One line per new issue held back ("Title (×3)"), then what was counted but not named; plain text (escape per medium). */
export function summaryLines(summary: AlertSummary): string[] {
  const noun = NOUNS[summary.kind] ?? NOUNS.error;
  const lines = summary.named.map(({ title, count }) => (count > 1 ? `${title} (×${count})` : title));
  if (summary.unnamed > 0) lines.push(`…and ${summary.unnamed} more ${summary.unnamed === 1 ? noun.one : noun.many} not named here`);
  return lines;
}

/** Why there is a summary, for the message's footer. */
export const SUMMARY_NOTE = 'Alert budget reached: every occurrence is still stored and counted; only the messages are held back. Errors and broken links have a budget each.';
