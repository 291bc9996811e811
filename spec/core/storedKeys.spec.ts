import { expect } from 'chai';
import { STORED_KEY_ESCAPES } from '../../lib/core/storedKeys';
import { escapeKeys, unescapeKeys } from '../../lib/stores/mongo/escapeKeys';

describe('stored key escapes', () => {
  it('maps each character MongoDB refuses in a key to a distinct look-alike', () => {
    expect(Object.keys(STORED_KEY_ESCAPES).sort()).to.deep.equal(['\u0000', '$', '.'].sort());
    const lookAlikes = Object.values(STORED_KEY_ESCAPES);
    expect(new Set(lookAlikes).size).to.equal(lookAlikes.length);
    for (const c of lookAlikes) expect(c).to.match(/^[^\u0000$.]$/);
    expect(Object.isFrozen(STORED_KEY_ESCAPES)).to.equal(true);
  });

  it('is the table the store escapes with and reads back by', () => {
    const stored = escapeKeys({ 'a.b': 1, $where: 2, 'n\u0000ul': 3 }) as Record<string, number>;
    expect(stored).to.deep.equal({
      [`a${STORED_KEY_ESCAPES['.']}b`]: 1,
      [`${STORED_KEY_ESCAPES.$}where`]: 2,
      [`n${STORED_KEY_ESCAPES['\u0000']}ul`]: 3,
    });
    expect(unescapeKeys(stored)).to.deep.equal({ 'a.b': 1, $where: 2, 'n\u0000ul': 3 });
  });
});
