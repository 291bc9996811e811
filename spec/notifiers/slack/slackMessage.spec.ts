import { expect } from 'chai';
import { slackMessage, type SlackBlock, type SlackMessage } from '../../../lib/notifiers/slack/slackMessage';
import { sampleBrokenLinkReport, sampleErrorReport } from '../../support/reports';

function blockTexts(message: SlackMessage): string[] {
  return message.attachments[0].blocks.flatMap((block: SlackBlock) => {
    if ('fields' in block) return block.fields.map((field) => field.text);
    if ('elements' in block) return block.elements.map((element) => element.text);
    return [block.text.text];
  });
}

describe('slackMessage', () => {
  it('lays out an error report', () => {
    const message = slackMessage(sampleErrorReport({ alert: { reason: 'new', suppressed: 0, windowMs: 600_000, count: 3 } }));
    const [attachment] = message.attachments;

    expect(attachment.color).to.equal('#d40e0d');
    expect(attachment.blocks[0]).to.deep.equal({ type: 'header', text: { type: 'plain_text', text: "TypeError: Cannot read properties of undefined (reading 'id')" } });
    expect(blockTexts(message)).to.deep.equal([
      "TypeError: Cannot read properties of undefined (reading 'id')",
      '*New issue* · Seen 3 times',
      '*Status*\n500',
      '*Request*\nGET /orders/42',
      '*Client IP*\n203.0.113.7',
      '*User*\n42 (alice)',
      '*When*\n2025-03-01 14:05:09 Europe/Paris (2025-03-01T13:05:09.000Z)',
      '*Request ID*\nreq-7f3a',
      '*Environment*\nproduction · release 1.4.2',
      "*TypeError*\nCannot read properties of undefined (reading 'id')",
      '*Top in-app frame*\n`loadOrder (/srv/app/lib/orders.js:42:17)`',
      'User agent: Mozilla/5.0 (X11; Linux x86_64)',
    ]);
    expect(message.text).to.equal("[production] TypeError: Cannot read properties of undefined (reading 'id') (New issue, seen 3 times)");
  });

  it('lays out a broken-link report in amber', () => {
    const message = slackMessage(sampleBrokenLinkReport({ alert: { reason: 'new', suppressed: 0, windowMs: 600_000, count: 2 } }));

    expect(message.attachments[0].color).to.equal('#e8a317');
    expect(blockTexts(message)).to.deep.equal([
      'Broken INTERNAL link on shop.example.com',
      '*New issue* · Seen 2 times',
      '*Referer*\nhttps://shop.example.com/home',
      '*Requested URL*\n/old-page?ref=nav',
      '*Link*\nInternal (referer on this site)',
      '*Client IP*\n198.51.100.23',
      '*User agent*\nMozilla/5.0 (Macintosh)',
      '*When*\n2025-03-01 14:06:00 Europe/Paris (2025-03-01T13:06:00.000Z)',
      '*Environment*\nproduction · release 1.4.2',
    ]);
  });

  it('says why: regression, digest and window, and treats a missing alert as new', () => {
    const why = (alert: Parameters<typeof sampleErrorReport>[0]) => blockTexts(slackMessage(sampleErrorReport(alert)))[1];
    expect(why({ alert: { reason: 'regression', suppressed: 0, windowMs: 600_000, count: 9 } })).to.equal('*Regression: a resolved issue happened again* · Seen 9 times');
    expect(why({ alert: { reason: 'digest', suppressed: 12, windowMs: 600_000, count: 40 } })).to.equal('*×12 more in the last 10 min* · Seen 40 times');
    expect(why({ alert: { reason: 'digest', suppressed: 2, windowMs: 7_200_000, count: null } })).to.equal('*×2 more in the last 2 h*');
    expect(why({ alert: { reason: 'window', suppressed: 5, windowMs: 600_000, count: 20 } })).to.equal('*5 more since the last alert* · Seen 20 times');
    expect(why({ alert: undefined })).to.equal('*New issue*');
  });

  it('words a repeat after a quiet window without "0 more since the last alert"', () => {
    const message = slackMessage(sampleErrorReport({ alert: { reason: 'window', suppressed: 0, windowMs: 600_000, count: 4 } }));
    expect(blockTexts(message)[1]).to.equal('*Again, first time in over 10 min* · Seen 4 times');
    expect(message.text).to.match(/\(Again, first time in over 10 min, seen 4 times\)$/);
    expect(JSON.stringify(message)).not.to.include('0 more');
  });

  it('links to the issue with URL-encoded values', () => {
    const message = slackMessage(sampleErrorReport({ fingerprint: 'a b/c&d' }), { linkTemplate: 'https://errors.example.com/issues/{fingerprint}?env={environment}&x=1' });
    const last = message.attachments[0].blocks.at(-1)!;

    expect(last).to.deep.equal({
      type: 'section',
      text: { type: 'mrkdwn', text: '<https://errors.example.com/issues/a%20b%2Fc%26d?env=production&amp;x=1|View issue>' },
    });
  });

  it('escapes every report-derived string, including the fallback text', () => {
    const evil = '<!channel> & <@U123> <https://evil|click>';
    const base = sampleErrorReport();
    const message = slackMessage(sampleErrorReport({
      title: evil,
      environment: evil,
      release: evil,
      error: { ...base.error!, type: evil, message: evil, cause: [{ ...base.error!, type: evil, message: evil }] },
      request: { ...base.request!, method: evil, path: evil, ip: evil, userAgent: evil, requestId: evil },
      user: { id: evil, username: evil },
    }));
    const json = JSON.stringify(message);

    expect(json).not.to.match(/<[!@h]/);
    expect(json).not.to.match(/&(?!amp;|lt;|gt;)/);
    expect(message.text).to.include('&lt;!channel&gt; &amp; &lt;@U123&gt; &lt;https://evil|click&gt;');
  });

  it('keeps a huge report within Slack limits', () => {
    const base = sampleErrorReport();
    const huge = '<'.repeat(10_000);
    const cause = { ...base.error!, message: 'inner' };
    const message = slackMessage(sampleErrorReport({
      title: huge,
      error: { ...base.error!, message: huge, cause: Array.from({ length: 80 }, () => cause) },
      request: { ...base.request!, userAgent: huge, path: huge },
    }));
    const blocks = message.attachments[0].blocks;

    expect(blocks.length).to.be.at.most(50);
    expect(blockTexts(message).at(-1)).to.match(/more causes not shown$/);
    expect((blocks[0] as { text: { text: string } }).text.text).to.have.length.at.most(150);
    for (const block of blocks) {
      if ('fields' in block) for (const field of block.fields) expect(field.text).to.have.length.at.most(2000);
      else if ('elements' in block) for (const element of block.elements) expect(element.text).to.have.length.at.most(3000);
      else expect(block.text.text).to.have.length.at.most(3000);
    }
    const errorSection = blockTexts(message).find((text) => text.startsWith('*TypeError*'))!;
    // Cut back to a whole entity: a little under the limit, never over.
    expect(errorSection.length).to.be.within(2996, 3000);
    expect(errorSection).to.match(/(&lt;)+…$/);
    expect(message.text).to.have.length.within(39_996, 40_000);
    expect(message.text.endsWith('…')).to.equal(true);
  });
});
