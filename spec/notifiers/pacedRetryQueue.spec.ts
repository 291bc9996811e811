import { expect } from 'chai';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { PacedRetryQueue, type AttemptResult, type PacedRetryQueueOptions, type QueuedMessage } from '../../lib/notifiers/pacedRetryQueue';
import { FakeClock } from '../support/fakeClock';
import { recordingLogger, type RecordingLogger } from '../support/recordingLogger';

// The queue on its own, with senders of the spec's own: each records when (on the fake
// clock) it was called and answers what the spec scripted.
describe('PacedRetryQueue', () => {
  let clock: FakeClock;
  let logger: RecordingLogger;
  let calls: Array<{ id: string; at: number }>;

  beforeEach(() => {
    clock = new FakeClock();
    logger = recordingLogger();
    calls = [];
  });

  function queue(options: Partial<PacedRetryQueueOptions> = {}): PacedRetryQueue {
    return new PacedRetryQueue({ maxQueue: 100, maxRetries: 5, timeoutMs: 10_000, minIntervalMs: 0, retryBaseMs: 100, retryMaxMs: 1000, label: 'Test', logger, clock, random: () => 0.5, ...options });
  }

  /** A message answering `answers` in turn (the last one repeats); 'hang' never settles. */
  function message(id: string, ...answers: Array<AttemptResult | 'hang'>): QueuedMessage {
    let attempt = 0;
    return {
      fields: { reportId: id },
      send: () => {
        calls.push({ id, at: clock.now() });
        const answer = answers[Math.min(attempt++, answers.length - 1)] ?? { kind: 'sent' };
        return answer === 'hang' ? new Promise<AttemptResult>(() => {}) : Promise.resolve(answer);
      },
    };
  }

  const transient: AttemptResult = { kind: 'transient', fields: { code: 'http_500' } };

  it('sends one at a time, minIntervalMs apart on the clock', async () => {
    const q = queue({ minIntervalMs: 1000 });
    const start = clock.now();
    const all = Promise.all(['a', 'b', 'c'].map((id) => q.enqueue(message(id))));
    await clock.advance(2000);
    await all;
    expect(calls.map((c) => [c.id, c.at - start])).to.deep.equal([['a', 0], ['b', 1000], ['c', 2000]]);
    expect(q.stats).to.deep.equal({ sent: 3, retried: 0, failed: 0, dropped: 0, rateLimited: 0 });
  });

  it('retries a transient failure after the jittered backoff from the injected random', async () => {
    const q = queue({ random: () => 0.5 });
    const sending = q.enqueue(message('a', transient, transient, { kind: 'sent' }));
    await clock.advance(0);
    // attempt 0 → 0.5 × 100 ms, attempt 1 → 0.5 × 200 ms.
    await clock.advance(150);
    await sending;
    expect(calls.map((c) => c.at - calls[0].at)).to.deep.equal([0, 50, 150]);
    expect(q.stats).to.include({ sent: 1, retried: 2 });
  });

  it('pauses the whole queue for Retry-After', async () => {
    const q = queue();
    const all = Promise.all([
      q.enqueue(message('a', { kind: 'rate-limited', retryAfterMs: 5000, fields: { status: 429 } }, { kind: 'sent' })),
      q.enqueue(message('b')),
    ]);
    await clock.advance(4999);
    expect(calls.map((c) => c.id)).to.deep.equal(['a']);
    await clock.advance(1);
    await all;
    expect(calls.map((c) => c.id)).to.deep.equal(['a', 'a', 'b']);
    expect(q.stats).to.include({ sent: 2, rateLimited: 1, retried: 1 });
  });

  it('gives up after maxRetries and never retries a rejection', async () => {
    const q = queue({ maxRetries: 2 });
    const all = Promise.all([q.enqueue(message('a', transient)), q.enqueue(message('b', { kind: 'rejected', fields: { code: 'no' } }))]);
    await clock.advance(0);
    await clock.runAll();
    await all;
    expect(calls.map((c) => c.id)).to.deep.equal(['a', 'a', 'a', 'b']);
    expect(q.stats).to.include({ sent: 0, retried: 2, failed: 2 });
    expect(logger.lines.filter((l) => l.level === 'error').map((l) => l.fields)).to.deep.equal([
      { code: 'http_500', attempts: 3, reportId: 'a' },
      { code: 'no', attempts: 1, reportId: 'b' },
    ]);
  });

  it('bounds each attempt by timeoutMs: an attempt that never settles counts as a transient failure', async () => {
    const q = queue({ timeoutMs: 3000, random: () => 0 });
    const sending = q.enqueue(message('a', 'hang', { kind: 'sent' }));
    await clock.advance(2999);
    expect(calls).to.have.length(1);
    await clock.advance(1);
    await sending;
    expect(calls).to.have.length(2);
    expect(logger.lines[0].fields).to.include({ code: 'ETIMEDOUT', timeoutMs: 3000 });
  });

  it('drops the oldest waiting message past maxQueue', async () => {
    const q = queue({ maxQueue: 1 });
    const all = Promise.all(['a', 'b', 'c'].map((id) => q.enqueue(message(id))));
    await clock.runAll();
    await all;
    expect(calls.map((c) => c.id)).to.deep.equal(['a', 'c']);
    expect(q.stats).to.include({ sent: 2, dropped: 1 });
  });

  it('close(deadline) resolves at the deadline whatever the sender does, and every enqueue with it', async () => {
    const q = queue({ timeoutMs: 600_000 });
    const pending = [q.enqueue(message('a', 'hang')), q.enqueue(message('b'))];
    let closed = false;
    const closing = q.close(1000).then(() => { closed = true; });
    await clock.advance(999);
    expect(closed).to.equal(false);
    await clock.advance(1);
    await closing;
    await Promise.all(pending);
    expect(q.stats).to.include({ sent: 0, dropped: 2 });
    expect(logger.dump()).to.match(/cancelled.*"cancelled":1/);
    expect(clock.pending, 'no timer left behind').to.equal(0);
  });

  it('cancelNow() gives up the message being sent and those waiting, logged by the time it resolves, with no clock moving', async () => {
    const q = queue({ timeoutMs: 600_000 });
    const pending = [q.enqueue(message('a', 'hang')), q.enqueue(message('b')), q.enqueue(message('c'))];
    await q.cancelNow();
    expect(logger.dump()).to.match(/Test notifier closed; alert in progress cancelled.*"reportId":"a"/);
    expect(logger.dump()).to.match(/Test notifier closed; waiting alerts cancelled.*"cancelled":2/);
    expect(await Promise.all(pending)).to.deep.equal(['dropped', 'dropped', 'dropped']);
    expect(q.stats).to.include({ sent: 0, dropped: 3 });
    expect(q.closed).to.equal(true);
    expect(clock.pending, 'no timer left behind').to.equal(0);
  });

  it('refuses to send after close, and rejects a bad deadline', async () => {
    const q = queue();
    await q.close();
    await q.enqueue(message('late'));
    expect(calls).to.have.length(0);
    expect(q.stats.dropped).to.equal(1);
    await q.close(-1).then(() => expect.fail('accepted -1'), (err: unknown) => expect(err).to.be.instanceOf(RangeError));
  });

  it('a sender that throws is logged as a failure, not thrown', async () => {
    const q = queue();
    await q.enqueue({ fields: { reportId: 'x' }, send: () => { throw new Error('bug'); } });
    expect(q.stats.failed).to.equal(1);
    expect(logger.lines[0].fields).to.include({ code: 'send_failed', error: 'bug' });
  });

  it('never keeps a process alive: retries, pacing and budget windows wait on unref\'d timers', async function () {
    this.timeout(60_000);
    // A child that queues alerts Slack and email cannot take (nothing listens there), so
    // backoff timers of a minute are pending, and a budget window of 10 min is open; it
    // never calls close(). It must still exit by itself once its own work is done.
    const lib = path.resolve(__dirname, '../../lib');
    const reports = path.resolve(__dirname, '../support/reports');
    const child = `
      const { SlackNotifier, EmailNotifier, ConsoleNotifier, silentLogger } = require(${JSON.stringify(lib)});
      const { sampleErrorReport } = require(${JSON.stringify(reports)});
      const retry = { retryBaseMs: 60000, retryMaxMs: 60000, logger: silentLogger };
      new SlackNotifier({ webhookUrl: 'http://127.0.0.1:9/hook', ...retry }).notify(sampleErrorReport());
      new EmailNotifier({ smtp: { host: '127.0.0.1', port: 9, ignoreTLS: true }, from: 'a@x.test', to: 'b@x.test', ...retry }).notify(sampleErrorReport());
      new ConsoleNotifier({ logger: silentLogger }).notify(sampleErrorReport());
      setTimeout(() => console.log('queued'), 200);
    `;
    const proc = spawn(process.execPath, ['--require', 'tsx/cjs', '-e', child], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    // The guard only bounds a broken run: a process kept alive would run into it.
    const guard = setTimeout(() => proc.kill('SIGKILL'), 45_000);
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => proc.on('exit', (c, s) => resolve([c, s])));
    clearTimeout(guard);
    expect({ code, signal, out: out.trim() }).to.deep.equal({ code: 0, signal: null, out: 'queued' });
  });
});
