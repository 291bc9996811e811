import { expect } from 'chai';
import { brokenLinkKey } from '../../lib/brokenLinks/brokenLinkKey';

describe('brokenLinkKey', () => {
  const link = (url: string, referer: string) => ({ url, referer, internal: false });

  it('is one key per (URL, referer), and tells the two apart', () => {
    expect(brokenLinkKey(link('/a', 'https://x/'), 100)).to.equal(brokenLinkKey(link('/a', 'https://x/'), 100));
    expect(brokenLinkKey(link('/a', 'https://x/'), 100)).to.not.equal(brokenLinkKey(link('/b', 'https://x/'), 100));
    // The separator keeps a URL ending where the referer begins from meeting another pair.
    expect(brokenLinkKey(link('/ab', 'c'), 100)).to.not.equal(brokenLinkKey(link('/a', 'bc'), 100));
  });

  it('reads at most maxLength of each, so its cost is bounded whatever the request carries', () => {
    const hostile = 'eyJ-'.repeat(1750);
    expect(brokenLinkKey(link('/a', hostile), 64)).to.equal(brokenLinkKey(link('/a', `${hostile}different tail`), 64));
    expect(brokenLinkKey(link('/a', hostile), 64)).to.match(/^[\w-]{27}$/);
  });
});
