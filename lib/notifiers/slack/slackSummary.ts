import type { AlertSummary } from '../../report/Report';
import { SUMMARY_NOTE, describeSummary, summaryLines } from '../format/alertSummary';
import type { SlackBlock, SlackMessage } from './slackMessage';
import { SLACK_LIMITS, escapeSlack, slackText, truncateSlack } from './slackText';

const SUMMARY_COLOR = '#6b6b6b';

/**
 * The one Slack message that stands for the alerts of one kind held back past the budget,
 * naming every new issue held back: the list is split over as many sections as Slack's
 * per-section limit needs (the list is bounded, so the message stays under Slack's 50 blocks).
 */
export function slackSummaryMessage(summary: AlertSummary): SlackMessage {
  const headline = describeSummary(summary);
  const sections: SlackBlock[] = [];
  let text = summary.kind === 'broken-link' ? '*Held back*' : '*New issues held back*';
  for (const line of summaryLines(summary).map((title) => `• ${escapeSlack(title)}`)) {
    if (text.length + 1 + line.length > SLACK_LIMITS.section) {
      sections.push(section(text));
      text = line;
    } else {
      text += `\n${line}`;
    }
  }
  if (summary.named.length || summary.unnamed) sections.push(section(text));
  return {
    text: slackText(headline, SLACK_LIMITS.fallback),
    attachments: [{
      color: SUMMARY_COLOR,
      blocks: [
        section(`*${escapeSlack(headline)}*`),
        ...sections,
        { type: 'context', elements: [{ type: 'mrkdwn', text: escapeSlack(SUMMARY_NOTE) }] },
      ],
    }],
  };
}

function section(escaped: string): SlackBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncateSlack(escaped, SLACK_LIMITS.section) } };
}
