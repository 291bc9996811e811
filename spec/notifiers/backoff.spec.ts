import { expect } from 'chai';
import { backoffDelay, sleep } from '../../lib/notifiers/backoff';

describe('backoff', () => {
  it('draws a full-jitter delay under base * 2^attempt, capped', () => {
    expect(backoffDelay(0, 1000, 60_000, () => 0.999)).to.equal(999);
    expect(backoffDelay(3, 1000, 60_000, () => 0.5)).to.equal(4000);
    expect(backoffDelay(10, 1000, 60_000, () => 0.5)).to.equal(30_000);
    expect(backoffDelay(4, 1000, 60_000, () => 0)).to.equal(0);
  });

  it('stays within [0, cap) with the real random source', () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const delay = backoffDelay(attempt, 100, 1000);
      expect(delay).to.be.at.least(0).and.below(Math.min(1000, 100 * 2 ** attempt));
    }
  });

  it('sleep() waits at least the given time', async () => {
    const started = Date.now();
    await sleep(50);
    expect(Date.now() - started).to.be.at.least(49);
  });

  it('sleep() ends early when its signal aborts, without rejecting', async () => {
    const controller = new AbortController();
    let done = false;
    const waiting = sleep(60_000, controller.signal).then(() => { done = true; });
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).to.equal(false);
    controller.abort();
    await waiting;
    expect(done).to.equal(true);
  });
});
