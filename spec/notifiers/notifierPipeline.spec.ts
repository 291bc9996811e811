import { expect } from 'chai';
import { notifierPipeline, pipelineDefaults, pipelineSettings } from '../../lib/notifiers/notifierPipeline';
import type { Notifier } from '../../lib/contracts/notifier';
import type { Report } from '../../lib/report/Report';
import { FakeClock } from '../support/fakeClock';
import { recordingLogger, type RecordingLogger } from '../support/recordingLogger';
import { sampleErrorReport } from '../support/reports';

// What the pipeline does with an app's own notifier besides the contract
// (notifierContract.ts): how it reads a rejection, the signal it hands over, one pipeline
// per notifier, and its settings.
describe('notifierPipeline', () => {
  let clock: FakeClock;
  let logger: RecordingLogger;

  beforeEach(() => {
    clock = new FakeClock();
    logger = recordingLogger();
  });

  /** A plain notifier that fails with `failures` in turn, then succeeds. */
  function failing(...failures: unknown[]): Notifier & { calls: number } {
    const notifier = {
      name: 'pager',
      calls: 0,
      async notify(_report: Report) {
        notifier.calls++;
        const failure = failures.shift();
        if (failure !== undefined) throw failure;
      },
    };
    return notifier;
  }

  it('gives up at once on a plain notifier\'s rejection by default (it has given up already), logging "notifier failed"', async () => {
    const notifier = failing(new Error('PagerDuty said 400'));
    const pipeline = notifierPipeline(notifier, { clock, logger });
    expect(await pipeline.notify(sampleErrorReport())).to.equal('failed');
    expect(notifier.calls).to.equal(1);
    expect(logger.lines.map((l) => l.message)).to.deep.equal(['notifier failed: pager gave the alert up after 1 attempt']);
    expect(logger.lines[0].fields).to.include({ error: 'PagerDuty said 400' });
  });

  it('retries a transient rejection with maxRetries, waits retryAfterMs on a rate limit, and never retries `permanent`', async () => {
    const notifier = failing(new Error('socket hang up'), Object.assign(new Error('429'), { retryAfterMs: 30_000 }));
    const pipeline = notifierPipeline(notifier, { clock, logger, maxRetries: 3, retryBaseMs: 100, retryMaxMs: 100, random: () => 0.5 });
    const sending = pipeline.notify(sampleErrorReport());
    await clock.advance(49);
    expect(notifier.calls, 'not before the backoff').to.equal(1);
    await clock.advance(1);
    expect(notifier.calls, 'retried after the backoff').to.equal(2);
    await clock.advance(29_999);
    expect(notifier.calls, 'waits out Retry-After').to.equal(2);
    await clock.advance(1);
    expect(await sending).to.equal('sent');
    expect(pipeline.stats).to.include({ sent: 1, retried: 2, rateLimited: 1 });

    const refusing = failing(Object.assign(new Error('bad routing key'), { permanent: true }));
    expect(await notifierPipeline(refusing, { clock, logger, maxRetries: 3 }).notify(sampleErrorReport())).to.equal('failed');
    expect(refusing.calls).to.equal(1);
  });

  it('hands a plain notifier a signal that aborts at the attempt\'s deadline', async () => {
    let signal: AbortSignal | undefined;
    const notifier: Notifier = {
      notify: ((_report: Report, attempt: { signal: AbortSignal }) => {
        signal = attempt.signal;
        return new Promise<void>(() => undefined);
      }) as Notifier['notify'],
    };
    const sending = notifierPipeline(notifier, { clock, logger, timeoutMs: 5000 }).notify(sampleErrorReport());
    await clock.advance(4999);
    expect(signal?.aborted).to.equal(false);
    await clock.advance(1);
    expect(await sending).to.equal('failed');
    expect(signal?.aborted).to.equal(true);
  });

  it('declares its settings once: defaults, layered, checked with the option named', () => {
    expect(pipelineSettings('X')).to.deep.equal(pipelineDefaults);
    expect(pipelineSettings('X', { maxRetries: 2 }, { maxRetries: undefined, minIntervalMs: 5 })).to.include({ maxRetries: 2, minIntervalMs: 5 });
    expect(() => pipelineSettings('X', { maxQueue: 0 })).to.throw(RangeError, /X: `maxQueue`/);
    expect(() => pipelineSettings('X', { retryBaseMs: 100, retryMaxMs: 10 })).to.throw(RangeError, /retryMaxMs/);
    expect(() => pipelineSettings('X', { timeoutMs: 0 })).to.throw(RangeError, /timeoutMs/);
    expect(() => pipelineSettings('X', { maxAlertsPerWindow: 1.5 })).to.throw(RangeError, /maxAlertsPerWindow/);
    expect(() => pipelineSettings('X', { logger: {} as never })).to.throw(TypeError, /logger/);
    expect(() => pipelineSettings('X', { clock: {} as never })).to.throw(TypeError, /clock/);
  });

  it('refuses a close deadline that is not a number of ms, and closes once', async () => {
    const notifier = { closes: 0, notify: async () => undefined, async close() { notifier.closes++; } };
    const pipeline = notifierPipeline(notifier, { clock, logger });
    await pipeline.close(Number.NaN).then(() => expect.fail('resolved'), (err: Error) => expect(err).to.be.instanceOf(RangeError));
    await Promise.all([pipeline.close(100), pipeline.close(100)]);
    expect(notifier.closes).to.equal(1);
  });
});
