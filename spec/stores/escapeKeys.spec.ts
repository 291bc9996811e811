import { expect } from 'chai';
import { escapeKeys, unescapeKeys } from '../../lib/stores/escapeKeys';

describe('escapeKeys', () => {
  it('replaces $ and . in keys at any depth, and restores them', () => {
    const value = { $where: 'x', a: { 'b.c': [{ $gt: '' }, 'd.e'] }, plain: 1, nothing: null };
    const escaped = escapeKeys(value);
    expect(JSON.stringify(escaped)).not.to.match(/"[^"]*[$.][^"]*":/);
    expect(escaped).to.deep.equal({ '\uFF04where': 'x', a: { 'b\uFF0Ec': [{ '\uFF04gt': '' }, 'd.e'] }, plain: 1, nothing: null });
    expect(unescapeKeys(escaped)).to.deep.equal(value);
  });

  it('leaves values and non-plain objects alone', () => {
    const date = new Date();
    expect(escapeKeys({ when: date, text: '$set.x' })).to.deep.equal({ when: date, text: '$set.x' });
    expect(escapeKeys('$x')).to.equal('$x');
    expect(escapeKeys(null)).to.equal(null);
  });
});
