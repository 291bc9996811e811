import { expect } from 'chai';
import { PendingWork } from '../../lib/delivery/PendingWork';

describe('PendingWork', () => {
  it('settles once everything tracked so far has settled, rejections included, and forgets what settled', async () => {
    const pending = new PendingWork();
    let release: () => void = () => {};
    const slow = pending.track(new Promise<void>((resolve) => { release = resolve; }));
    pending.track(Promise.reject(new Error('counted elsewhere'))).catch(() => undefined);
    let settled = false;
    const waiting = pending.settled().then(() => { settled = true; });
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).to.equal(false);
    expect(pending.size).to.equal(1);
    release();
    await slow;
    await waiting;
    await new Promise((resolve) => setImmediate(resolve));
    expect(pending.size).to.equal(0);
  });
});
