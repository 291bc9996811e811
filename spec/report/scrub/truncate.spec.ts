import { expect } from 'chai';
import { describeThrown, TRUNCATED, truncate, unreadable } from '../../../lib/report/scrub/truncate';

describe('truncate', () => {
  it('keeps short text as is and cuts long text to `max` characters with a marker', () => {
    expect(truncate('abc', 3)).to.equal('abc');
    expect(truncate('abcdef', 3)).to.equal(`abc${TRUNCATED}`);
  });

  it('never splits a surrogate pair', () => {
    const cut = truncate('a😀b', 2);
    expect(cut).to.equal(`a${TRUNCATED}`);
    expect(() => encodeURIComponent(cut), 'no lone surrogate left').to.not.throw();
  });

  it('describes anything thrown without throwing itself', () => {
    expect(describeThrown(new Error('boom'))).to.equal('boom');
    expect(describeThrown(42)).to.equal('42');
    const hostile = new Proxy(new Error('x'), { get() { throw new Error('trap'); } });
    expect(describeThrown(hostile)).to.equal('unknown error');
    expect(describeThrown({ toString() { throw new Error('no'); } })).to.equal('unknown error');
    expect(unreadable(new Error('y'.repeat(500)))).to.equal(`[Unreadable: ${'y'.repeat(200)}${TRUNCATED}]`);
  });
});
