import type { Report } from './Report';

/** Occurrences a report stands for: 1, or the count of a tally (see EventSampler). */
export function occurrencesOf(report: Report): number {
  const n = report.occurrences;
  return typeof n === 'number' && Number.isInteger(n) && n > 1 ? n : 1;
}

/** Occurrences of several reports together. */
export function totalOccurrences(reports: Report[]): number {
  let total = 0;
  for (const report of reports) total += occurrencesOf(report);
  return total;
}
