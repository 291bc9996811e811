import { expect } from 'chai';
import { SLACK_LIMITS, escapeSlack, slackText, truncateSlack } from '../../../lib/notifiers/slack/slackText';

describe('slackText', () => {
  it('escapes exactly &, < and >', () => {
    expect(escapeSlack('<!channel> & <@U123|bob> "quoted" \'single\' é')).to.equal('&lt;!channel&gt; &amp; &lt;@U123|bob&gt; "quoted" \'single\' é');
    expect(escapeSlack('&amp;')).to.equal('&amp;amp;');
    expect(escapeSlack(null)).to.equal('');
    expect(escapeSlack(404)).to.equal('404');
  });

  it('leaves short text alone', () => {
    expect(truncateSlack('short', 10)).to.equal('short');
    expect(truncateSlack('x'.repeat(10), 10)).to.equal('x'.repeat(10));
  });

  it('cuts to the limit with a visible ellipsis', () => {
    const cut = truncateSlack('x'.repeat(20), 10);
    expect(cut).to.equal(`${'x'.repeat(9)}…`);
    expect(cut).to.have.length(10);
  });

  it('never cuts an entity in half', () => {
    for (let max = 3; max < 40; max++) {
      const cut = slackText('ab<<<<<<&&&&&&>>>>>>', max);
      expect(cut.length, `max ${max}`).to.be.at.most(max);
      expect(cut.slice(0, -1), `max ${max}`).to.match(/^ab(&lt;|&gt;|&amp;)*$/);
    }
  });

  it('never cuts a surrogate pair in half', () => {
    expect(truncateSlack('ab😀cd', 4)).to.equal('ab…');
  });

  it("holds Slack's documented limits", () => {
    expect(SLACK_LIMITS).to.deep.equal({ header: 150, section: 3000, field: 2000, fallback: 40_000, blocks: 50 });
  });
});
