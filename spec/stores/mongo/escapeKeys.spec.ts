import { expect } from 'chai';
import { escapeKey, escapeKeys, STORED_KEY_ESCAPES, unescapeKey, unescapeKeys } from '../../../lib/stores/mongo/escapeKeys';

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

  it('maps each character MongoDB refuses in a key to a distinct look-alike, one key at a time too', () => {
    expect(Object.keys(STORED_KEY_ESCAPES).sort()).to.deep.equal(['\u0000', '$', '.'].sort());
    const lookAlikes = Object.values(STORED_KEY_ESCAPES);
    expect(new Set(lookAlikes).size).to.equal(lookAlikes.length);
    for (const c of lookAlikes) expect(c).to.match(/^[^\u0000$.]$/);
    expect(Object.isFrozen(STORED_KEY_ESCAPES)).to.equal(true);
    expect(escapeKey('1.4.2$\u0000')).to.equal('1\uFF0E4\uFF0E2\uFF04\u2400');
    expect(unescapeKey(escapeKey('1.4.2$\u0000'))).to.equal('1.4.2$\u0000');
  });
});
