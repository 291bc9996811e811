import { expect } from 'chai';
import { backoffDelay } from '../../lib/delivery/backoff';

describe('backoffDelay', () => {
  it('stays within the exponential ceiling and the cap', () => {
    const retry = { baseMs: 100, maxMs: 1000 };
    for (let attempt = 1; attempt <= 40; attempt++) {
      const ceiling = Math.min(1000, 100 * 2 ** attempt);
      for (let i = 0; i < 50; i++) {
        const delay = backoffDelay(attempt, retry);
        expect(delay).to.be.at.least(0).and.below(ceiling);
      }
    }
  });

  it('is jittered', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(10, { baseMs: 100, maxMs: 30_000 })));
    expect(delays.size).to.be.greaterThan(1);
  });
});
