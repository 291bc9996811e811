import { expect } from 'chai';
import { zeroCounters } from '../../lib/delivery/stats';

describe('stats', () => {
  it('zeroCounters() gives each caller counters of its own, all at zero: what one delivery counts never shows in another', () => {
    const first = zeroCounters();
    const second = zeroCounters();
    expect(Object.keys(first).length).to.be.above(0);
    expect(Object.values(first).every((value) => value === 0)).to.equal(true);
    first.stored += 3;
    first.dropped++;
    expect(second).to.deep.equal(zeroCounters());
    expect(zeroCounters()).to.include({ stored: 0, dropped: 0 });
  });
});
