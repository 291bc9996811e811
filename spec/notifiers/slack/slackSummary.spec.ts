import { expect } from 'chai';
import type { AlertSummary } from '../../../lib/report/Report';
import { slackSummaryMessage } from '../../../lib/notifiers/slack/slackSummary';

const summary: AlertSummary = {
  kind: 'error', held: 13, newIssues: 13, others: 0, elapsedMs: 600_000, unnamed: 0,
  named: [{ title: 'TypeError: <!channel> boom', fingerprint: 'a', count: 12 }, { title: 'RangeError: x', fingerprint: 'b', count: 1 }],
};

describe('slackSummaryMessage', () => {
  it('says how many alerts it stands for, names each new issue held back escaped, and says why', () => {
    const message = slackSummaryMessage(summary);
    expect(message.text).to.equal('…and 13 more new issues in the last 10 min');
    const texts = message.attachments[0].blocks.map((b) => ('text' in b ? b.text.text : 'elements' in b ? b.elements[0].text : ''));
    expect(texts[0]).to.equal('*…and 13 more new issues in the last 10 min*');
    expect(texts[1]).to.equal('*New issues held back*\n• TypeError: &lt;!channel&gt; boom (×12)\n• RangeError: x');
    expect(texts[2]).to.match(/^Alert budget reached/);
    expect(JSON.stringify(message)).not.to.include('<!channel>');
  });

  it('leaves the list out when only repeats were held', () => {
    expect(slackSummaryMessage({ ...summary, newIssues: 0, others: 13, named: [] }).attachments[0].blocks).to.have.length(2);
  });

  it('splits a long list over sections within Slack\'s limits, and stays under its 50 blocks', () => {
    const named = Array.from({ length: 50 }, (_, i) => ({ title: `${'T'.repeat(148)}${i}`, fingerprint: `f${i}`, count: 2 }));
    const message = slackSummaryMessage({ ...summary, held: 1100, newIssues: 1100, named, unnamed: 1000 });
    const blocks = message.attachments[0].blocks;
    expect(blocks.length).to.be.within(4, 50);
    const texts = blocks.map((b) => ('text' in b ? b.text.text : ''));
    expect(texts.every((t) => t.length <= 3000)).to.equal(true);
    const listed = texts.join('\n');
    for (const { title } of named) expect(listed).to.include(title);
    expect(listed).to.include('…and 1000 more new issues not named here');
  });
});
