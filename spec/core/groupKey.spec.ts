import { expect } from 'chai';
import { groupKey } from '../../lib/core/groupKey';

describe('core/groupKey', () => {
  it('keeps kinds apart', () => {
    expect(groupKey('error', 'ab')).to.not.equal(groupKey('brokenLink', 'ab'));
    expect(groupKey('error', 'ab')).to.equal(groupKey('error', 'ab'));
  });
});
