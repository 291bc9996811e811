import { expect } from 'chai';
import type { AlertSummary } from '../../../lib/notifiers/alertBudget';
import { slackSummaryMessage } from '../../../lib/notifiers/slack/slackSummary';

const summary: AlertSummary = {
  held: 37, newIssues: 37, brokenLinks: 0, others: 0, elapsedMs: 600_000,
  top: [{ title: 'TypeError: <!channel> boom', kind: 'error', count: 12 }, { title: 'RangeError: x', kind: 'error', count: 1 }],
};

describe('slackSummaryMessage', () => {
  it('says how many alerts it stands for, lists the top titles escaped, and says why', () => {
    const message = slackSummaryMessage(summary);
    expect(message.text).to.equal('…and 37 more new issues in the last 10 min');
    const texts = message.attachments[0].blocks.map((b) => ('text' in b ? b.text.text : 'elements' in b ? b.elements[0].text : ''));
    expect(texts[0]).to.equal('*…and 37 more new issues in the last 10 min*');
    expect(texts[1]).to.equal('*Most frequent*\n• TypeError: &lt;!channel&gt; boom (×12)\n• RangeError: x');
    expect(texts[2]).to.match(/^Alert budget reached/);
    expect(JSON.stringify(message)).not.to.include('<!channel>');
  });

  it('leaves the list out when no title was kept', () => {
    expect(slackSummaryMessage({ ...summary, top: [] }).attachments[0].blocks).to.have.length(2);
  });
});
