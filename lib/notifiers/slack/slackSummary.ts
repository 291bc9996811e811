import type { AlertSummary } from '../alertBudget';
import { SUMMARY_NOTE, describeSummary, summaryTitles } from '../format/alertSummary';
import type { SlackMessage } from './slackMessage';
import { SLACK_LIMITS, escapeSlack, slackText, truncateSlack } from './slackText';

const SUMMARY_COLOR = '#6b6b6b';

/** The one Slack message that stands for the alerts held back past the budget. */
export function slackSummaryMessage(summary: AlertSummary): SlackMessage {
  const headline = describeSummary(summary);
  const titles = summaryTitles(summary).map((title) => `• ${escapeSlack(title)}`).join('\n');
  return {
    text: slackText(headline, SLACK_LIMITS.fallback),
    attachments: [{
      color: SUMMARY_COLOR,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: truncateSlack(`*${escapeSlack(headline)}*`, SLACK_LIMITS.section) } },
        ...(titles ? [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: truncateSlack(`*Most frequent*\n${titles}`, SLACK_LIMITS.section) } }] : []),
        { type: 'context', elements: [{ type: 'mrkdwn', text: escapeSlack(SUMMARY_NOTE) }] },
      ],
    }],
  };
}
