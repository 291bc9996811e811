import { expect } from 'chai';
import { backoffDelay, sleep } from '../../lib/core/backoff';
import { FakeClock } from '../support/fakeClock';

describe('core/backoff', () => {
  it('draws a full-jitter delay under base * 2^attempt, capped', () => {
    const retry = { baseMs: 1000, maxMs: 60_000 };
    expect(backoffDelay(0, retry, () => 0.999)).to.equal(999);
    expect(backoffDelay(3, retry, () => 0.5)).to.equal(4000);
    expect(backoffDelay(10, retry, () => 0.5)).to.equal(30_000);
    expect(backoffDelay(4, retry, () => 0)).to.equal(0);
  });

  it('stays within the exponential ceiling and the cap with the real random source', () => {
    const retry = { baseMs: 100, maxMs: 1000 };
    for (let attempt = 0; attempt <= 40; attempt++) {
      for (let i = 0; i < 20; i++) expect(backoffDelay(attempt, retry)).to.be.at.least(0).and.below(Math.min(1000, 100 * 2 ** attempt));
    }
  });

  it('is jittered', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(10, { baseMs: 100, maxMs: 30_000 })));
    expect(delays.size).to.be.greaterThan(1);
  });

  it('sleep() resolves when its clock reaches the time, not before', async () => {
    const clock = new FakeClock();
    let done = false;
    const waiting = sleep(50, undefined, clock).then(() => { done = true; });
    await clock.advance(49);
    expect(done).to.equal(false);
    await clock.advance(1);
    await waiting;
    expect(done).to.equal(true);
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
