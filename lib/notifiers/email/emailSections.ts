import type { ErrorInfo, Report } from '../../report/Report';
import { describeAlert, describeCount } from '../format/alertReason';
import { formatFrame } from '../../report/formatFrame';
import { formatUser } from '../format/reportFacts';
import { formatReportTime } from '../format/reportTime';

export type Row = [label: string, value: string];

/** A titled block of a report: label/value rows, or preformatted text (a stack, a body). */
export type ReportSection =
  | { heading: string | null; rows: Row[] }
  | { heading: string; text: string };

/**
 * What a full report says, in reading order; renderText and renderHtml only format it
 * (Django's get_traceback_text and get_traceback_html share their data the same way).
 */
export function reportSections(report: Report): ReportSection[] {
  return report.kind === 'broken-link' ? brokenLinkSections(report) : errorSections(report);
}

/** "New issue · Seen 3 times" */
export function alertLine(report: Report): string {
  const count = describeCount(report.alert);
  return count ? `${describeAlert(report.alert)} · ${count}` : describeAlert(report.alert);
}

function brokenLinkSections(report: Report): ReportSection[] {
  const link = report.brokenLink;
  const request = report.request;
  return [
    // Django's BrokenLinkEmailsMiddleware body, line for line.
    {
      heading: null,
      rows: [
        ['Referrer', show(link?.referer ?? request?.referer)],
        ['Requested URL', show(link?.url ?? request?.url)],
        ['User agent', show(request?.userAgent)],
        ['IP address', show(request?.ip)],
      ],
    },
    { heading: 'Link', rows: [['Kind', link ? (link.internal ? 'Internal (referer on this site)' : 'External') : '<none>'], ['Status', String(report.status)]] },
    serverSection(report),
  ];
}

function errorSections(report: Report): ReportSection[] {
  const sections: ReportSection[] = [];
  const { request, error } = report;
  if (request) {
    sections.push({
      heading: 'Request',
      rows: [
        ['Method', show(request.method)],
        ['URL', show(request.url)],
        ['Status', String(report.status)],
        ['Client IP', show(request.ip)],
        ['User agent', show(request.userAgent)],
        ['Referer', show(request.referer)],
        ['Request ID', show(request.requestId)],
      ],
    });
  }
  sections.push({ heading: 'User', rows: [['User', formatUser(report)]] });
  if (error) sections.push(...errorInfoSections(error, 'Error'));
  error?.cause.forEach((cause, index) => sections.push(...errorInfoSections(cause, `Cause ${index + 1}`)));
  if (error && Object.keys(error.extra).length) sections.push({ heading: 'Error properties', rows: entries(error.extra) });
  if (request) {
    sections.push({ heading: 'Request headers', rows: entries(request.headers) });
    if (Object.keys(request.query).length) sections.push({ heading: 'Query', rows: entries(request.query) });
    if (request.body !== undefined && request.body !== null && request.body !== '') {
      sections.push({ heading: 'Request body', text: format(request.body) });
    }
  }
  sections.push(serverSection(report));
  return sections;
}

function errorInfoSections(error: Omit<ErrorInfo, 'cause'>, heading: string): ReportSection[] {
  const sections: ReportSection[] = [{ heading, rows: [['Type', show(error.type)], ['Message', show(error.message)]] }];
  if (error.stack) sections.push({ heading: `${heading} stack`, text: error.stack });
  if (error.frames.length) {
    // The marker lets a reader skip node_modules and node: internals.
    const frames = error.frames.map((frame) => `${frame.inApp ? '*' : ' '} ${formatFrame(frame)}`).join('\n');
    sections.push({ heading: `${heading} frames (* in-app)`, text: frames });
  }
  return sections;
}

function serverSection(report: Report): ReportSection {
  return {
    heading: 'Server',
    rows: [
      ['Environment', show(report.environment)],
      ['Release', show(report.release)],
      ['Host', show(report.host)],
      ['PID', String(report.pid)],
      ['Time', formatReportTime(report)],
      ['Report ID', show(report.id)],
      ['Fingerprint', show(report.fingerprint)],
    ],
  };
}

function entries(record: Record<string, unknown>): Row[] {
  return Object.entries(record).map(([key, value]) => [key, format(value)]);
}

function show(value: string | null | undefined): string {
  return value === null || value === undefined || value === '' ? '<none>' : value;
}

function format(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}
