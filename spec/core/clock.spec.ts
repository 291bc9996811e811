import { expect } from 'chai';
import { isClock, realClock } from '../../lib/core/clock';

describe('core/clock', () => {
  it('recognises clocks', () => {
    expect(isClock(realClock)).to.equal(true);
    expect(isClock({ now: () => 0 })).to.equal(false);
  });

  it('the real clock never keeps the process alive', () => {
    const timer = realClock.setTimeout(() => undefined, 60_000) as NodeJS.Timeout;
    expect(timer.hasRef()).to.equal(false);
    realClock.clearTimeout(timer);
  });
});
