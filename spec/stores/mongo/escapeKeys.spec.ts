import { expect } from 'chai';
import { escapeKeys, unescapeKeys } from '../../../lib/stores/mongo/escapeKeys';

describe('escapeKeys', () => {
  it('replaces $ and . in keys at any depth, and restores them', () => {
    const value = { $where: 'x', a: { 'b.c': [{ $gt: '' }, 'd.e'] }, plain: 1, nothing: null };
    const escaped = escapeKeys(value);
    expect(JSON.stringify(escaped)).not.to.match(/"[^"]*[$.][^"]*":/);
    expect(escaped).to.deep.equal({ '\uFF04where': 'x', a: { 'b\uFF0Ec': [{ '\uFF04gt': '' }, 'd.e'] }, plain: 1, nothing: null });
    expect(unescapeKeys(escaped)).to.deep.equal(value);
  });

  it('replaces NUL bytes in keys, which the driver cannot write, and restores them', () => {
    const value = { query: { 'a\u0000b': '1', '\u0000': ['\u0000 in a value stays'] } };
    const escaped = escapeKeys(value);
    expect(JSON.stringify(Object.keys(escaped.query))).not.to.include('\\u0000');
    expect(escaped.query).to.have.property('a\u2400b', '1');
    expect(unescapeKeys(escaped)).to.deep.equal(value);
  });

  it('keeps a __proto__ key as a key, never as a prototype', () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}');
    const escaped = escapeKeys(value) as Record<string, unknown>;
    expect(Object.getPrototypeOf(escaped)).to.equal(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    expect(Object.keys(escaped)).to.include('__proto__');
  });

  it('leaves values and non-plain objects alone', () => {
    const date = new Date();
    expect(escapeKeys({ when: date, text: '$set.x' })).to.deep.equal({ when: date, text: '$set.x' });
    expect(escapeKeys('$x')).to.equal('$x');
    expect(escapeKeys(null)).to.equal(null);
  });
});
