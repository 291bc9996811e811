import type { Report } from '../../report/Report';

/**
 * "2025-03-01 14:05:09 Europe/Paris (2025-03-01T13:05:09.000Z)": the wall-clock time
 * where the server runs, which is what people compare with their own logs, plus UTC.
 */
export function formatReportTime(report: Pick<Report, 'timestamp' | 'timezone'>): string {
  const date = new Date(report.timestamp);
  if (Number.isNaN(date.getTime())) return String(report.timestamp);
  try {
    // sv-SE formats as "YYYY-MM-DD HH:mm:ss", unambiguous in every locale.
    const local = new Intl.DateTimeFormat('sv-SE', {
      timeZone: report.timezone,
      year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit',
      hourCycle: 'h23',
    }).format(date);
    return `${local} ${report.timezone} (${date.toISOString()})`;
  } catch {
    // An unknown zone name: UTC alone is still exact.
    return `${date.toISOString()} (UTC)`;
  }
}
