import type { AlertSummary } from '../alertBudget';
import { formatWindow } from './alertReason';

/**
 * "…and 37 more new issues in the last 10 min": the line that replaces the alerts held
 * back past a notifier's budget (mixed kinds: "…and 37 more alerts (30 new issues, 7 broken links)…").
 */
export function describeSummary(summary: AlertSummary): string {
  const parts = [
    plural(summary.newIssues, 'new issue', 'new issues'),
    plural(summary.brokenLinks, 'broken link', 'broken links'),
    plural(summary.others, 'repeat or regression', 'repeats or regressions'),
  ].filter((part): part is string => part !== null);
  const what = parts.length === 1 ? parts[0] : `${plural(summary.held, 'alert', 'alerts')} (${parts.join(', ')})`;
  // A close may end the window early; under a second still reads as a time.
  const window = formatWindow(Math.max(1000, summary.elapsedMs));
  return `…and ${what.replace(/^(\d+)/, '$1 more')} in the last ${window}`;
}

/** "Title (×3)" for the most frequent titles held back, as plain text (escape per medium). */
export function summaryTitles(summary: AlertSummary): string[] {
  return summary.top.map(({ title, count }) => (count > 1 ? `${title} (×${count})` : title));
}

/** Why there is a summary, for the message's footer. */
export const SUMMARY_NOTE = 'Alert budget reached: every occurrence is still stored and counted; only the messages are held back.';

function plural(count: number, one: string, many: string): string | null {
  if (count === 0) return null;
  return `${count} ${count === 1 ? one : many}`;
}
