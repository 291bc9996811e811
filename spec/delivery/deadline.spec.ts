import { expect } from 'chai';
import { callWithin, within, withDeadline } from '../../lib/delivery/deadline';
import { FakeClock } from '../support/fakeClock';

const never = () => new Promise<never>(() => undefined);

describe('deadline', () => {
  it('withDeadline answers as the promise does when it settles in time', async () => {
    const clock = new FakeClock();
    expect(await withDeadline(Promise.resolve(7), 100, clock, 'late')).to.equal(7);
    const failure = await withDeadline(Promise.reject(new Error('own')), 100, clock, 'late').catch((err: Error) => err.message);
    expect(failure).to.equal('own');
    expect(clock.pending, 'its timer is cleared').to.equal(0);
  });

  it('withDeadline rejects with the message at the deadline on the clock, and a late rejection goes nowhere', async () => {
    const clock = new FakeClock();
    let reject: (err: Error) => void = () => {};
    const slow = new Promise<number>((_, r) => { reject = r; });
    let outcome = 'pending';
    const racing = withDeadline(slow, 100, clock, 'did not answer within 100 ms').catch((err: Error) => { outcome = err.message; });
    await clock.advance(99);
    expect(outcome).to.equal('pending');
    await clock.advance(1);
    await racing;
    expect(outcome).to.equal('did not answer within 100 ms');
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    reject(new Error('too late'));
    await new Promise((resolve) => setImmediate(resolve));
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).to.deep.equal([]);
  });

  it('within never rejects, and with no time left only looks at what has settled, setting no timer', async () => {
    const clock = new FakeClock();
    await within(Promise.reject(new Error('x')), 100, clock);
    await within(never(), 0, clock);
    expect(clock.pending).to.equal(0);
    let done = false;
    const waiting = within(never(), 50, clock).then(() => { done = true; });
    await clock.advance(50);
    await waiting;
    expect(done).to.equal(true);
  });

  it('callWithin catches a synchronous throw or a rejection, hands it on, and stops waiting at the deadline', async () => {
    const clock = new FakeClock();
    const errors: string[] = [];
    await callWithin(() => { throw new Error('sync'); }, 100, clock, (err) => errors.push((err as Error).message));
    await callWithin(() => Promise.reject(new Error('async')), 100, clock, (err) => errors.push((err as Error).message));
    expect(errors).to.deep.equal(['sync', 'async']);
    const hanging = callWithin(never, 100, clock, () => undefined);
    await clock.advance(100);
    await hanging;
  });
});
