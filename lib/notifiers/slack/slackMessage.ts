import type { Report } from '../../report/Report';
import { describeAlert, describeCount } from '../format/alertReason';
import { issueUrl } from '../format/issueLink';
import { formatFrame } from '../../report/formatFrame';
import { formatRelease, formatUser, topInAppFrame } from '../format/reportFacts';
import { formatReportTime } from '../format/reportTime';
import { SLACK_LIMITS, escapeSlack, slackText, truncateSlack } from './slackText';

export interface SlackTextObject {
  type: 'mrkdwn' | 'plain_text';
  text: string;
}

export type SlackBlock =
  | { type: 'header'; text: SlackTextObject }
  | { type: 'section'; text: SlackTextObject }
  | { type: 'section'; fields: SlackTextObject[] }
  | { type: 'context'; elements: SlackTextObject[] };

export interface SlackAttachment {
  color: string;
  blocks: SlackBlock[];
}

export interface SlackMessage {
  /** Plain summary: the push notification and what clients without blocks show. */
  text: string;
  attachments: SlackAttachment[];
}

export interface SlackMessageOptions {
  /** e.g. "https://errors.example.com/issues/{fingerprint}"; adds a "View issue" link. */
  linkTemplate?: string;
}

export const SLACK_COLORS = { error: '#d40e0d', 'broken-link': '#e8a317' } as const;

// Slack allows at most 10 fields in one section.
const FIELDS_PER_SECTION = 10;

/**
 * The Slack message for a report (webhook or chat.postMessage body, without channel).
 * Every report-derived string is escaped, then cut to Slack's limits.
 */
export function slackMessage(report: Report, options: SlackMessageOptions = {}): SlackMessage {
  const head: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: slackText(report.title, SLACK_LIMITS.header) } },
    section(`*${escapeSlack(describeAlert(report.alert))}*${countSuffix(report)}`),
  ];
  const body = report.kind === 'broken-link' ? brokenLinkBlocks(report) : errorBlocks(report);
  const link = options.linkTemplate
    ? [section(`<${escapeSlack(issueUrl(options.linkTemplate, report))}|View issue>`)]
    : [];
  const causes = report.kind === 'error' ? causeBlocks(report) : [];

  // The cause chain is the only part that grows with the report; it gives way first.
  const room = SLACK_LIMITS.blocks - head.length - body.length - link.length;
  const shownCauses = causes.length <= room ? causes : [
    ...causes.slice(0, room - 1),
    context(`${causes.length - (room - 1)} more causes not shown`),
  ];

  return {
    text: slackText(fallbackText(report), SLACK_LIMITS.fallback),
    attachments: [{ color: SLACK_COLORS[report.kind] ?? SLACK_COLORS.error, blocks: [...head, ...body, ...shownCauses, ...link] }],
  };
}

function errorBlocks(report: Report): SlackBlock[] {
  const request = report.request;
  const error = report.error;
  const frame = topInAppFrame(report);
  const blocks: SlackBlock[] = fieldSections([
    ['Status', report.status],
    ['Request', request ? `${request.method} ${request.path}` : null],
    ['Client IP', request?.ip],
    ['User', formatUser(report)],
    ['When', formatReportTime(report)],
    ['Request ID', request?.requestId],
    ['Environment', formatRelease(report)],
  ]);
  if (error) {
    blocks.push(section(`*${escapeSlack(error.type)}*\n${escapeSlack(error.message)}`));
  }
  if (frame) blocks.push(section(`*Top in-app frame*\n\`${escapeSlack(formatFrame(frame))}\``));
  if (request?.userAgent) blocks.push(context(`User agent: ${escapeSlack(request.userAgent)}`));
  return blocks;
}

function brokenLinkBlocks(report: Report): SlackBlock[] {
  const link = report.brokenLink;
  const request = report.request;
  return fieldSections([
    ['Referer', link?.referer ?? request?.referer],
    ['Requested URL', link?.url ?? request?.url],
    ['Link', link ? (link.internal ? 'Internal (referer on this site)' : 'External') : null],
    ['Client IP', request?.ip],
    ['User agent', request?.userAgent],
    ['When', formatReportTime(report)],
    ['Environment', formatRelease(report)],
  ]);
}

function causeBlocks(report: Report): SlackBlock[] {
  return (report.error?.cause ?? []).map((cause) =>
    section(`*Caused by ${escapeSlack(cause.type)}*\n${escapeSlack(cause.message)}`),
  );
}

function countSuffix(report: Report): string {
  const count = describeCount(report.alert);
  return count ? ` · ${escapeSlack(count)}` : '';
}

function fallbackText(report: Report): string {
  const count = describeCount(report.alert);
  return `[${report.environment}] ${report.title} (${describeAlert(report.alert)}${count ? `, ${count.toLowerCase()}` : ''})`;
}

/** Label/value pairs as mrkdwn fields; empty values are left out. */
function fieldSections(pairs: Array<[label: string, value: unknown]>): SlackBlock[] {
  const fields = pairs
    .filter(([, value]) => value !== null && value !== undefined && value !== '')
    .map(([label, value]): SlackTextObject => ({
      type: 'mrkdwn',
      text: truncateSlack(`*${label}*\n${escapeSlack(value)}`, SLACK_LIMITS.field),
    }));
  const sections: SlackBlock[] = [];
  for (let i = 0; i < fields.length; i += FIELDS_PER_SECTION) {
    sections.push({ type: 'section', fields: fields.slice(i, i + FIELDS_PER_SECTION) });
  }
  return sections;
}

/** `escaped` must already be escaped: it may hold our own mrkdwn (bold, links). */
function section(escaped: string): SlackBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncateSlack(escaped, SLACK_LIMITS.section) } };
}

function context(escaped: string): SlackBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncateSlack(escaped, SLACK_LIMITS.section) }] };
}
