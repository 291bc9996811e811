import { STATUS_CODES } from 'node:http';
import type { Report } from '../../report/Report';
import { formatWindow } from '../format/alertReason';

export interface EmailSubjectOptions {
  prefix: string;
  /** Client IPs that mark a request as internal ("(internal IP)" instead of "(EXTERNAL IP)"). */
  internalIps: readonly string[];
}

// Mail clients cut long subjects anyway; a bounded one also keeps header folding sane.
const MAX_SUBJECT = 200;

/**
 * Django's subjects: "ERROR (EXTERNAL IP): Internal Server Error: /path" for errors,
 * "Broken INTERNAL link on example.com" for broken links (the report title already
 * says that), plus " (×N more in the last 10 min)" for a digest.
 */
export function emailSubject(report: Report, options: EmailSubjectOptions): string {
  const suffix = report.alert?.reason === 'digest'
    ? ` (×${report.alert.suppressed} more in the last ${formatWindow(report.alert.windowMs)})`
    : '';
  const base = oneLine(options.prefix + (report.kind === 'broken-link' ? report.title : errorSubject(report, options.internalIps)));
  const room = Math.max(1, MAX_SUBJECT - suffix.length);
  return (base.length > room ? `${base.slice(0, room - 1)}…` : base) + suffix;
}

function errorSubject(report: Report, internalIps: readonly string[]): string {
  // Django logs 5xx at ERROR and 4xx at WARNING, and the level leads the subject.
  const level = report.status >= 500 ? 'ERROR' : 'WARNING';
  if (!report.request) return `${level}: ${report.title}`;
  const where = internalIps.includes(report.request.ip) ? 'internal' : 'EXTERNAL';
  const reason = STATUS_CODES[report.status] ?? `Status ${report.status}`;
  return `${level} (${where} IP): ${reason}: ${report.request.path}`;
}

// A CR or LF from a request path would otherwise start a new mail header.
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}
