import { expect } from 'chai';
import { SlackNotifier } from '../../../lib/notifiers/slack/SlackNotifier';
import { slackMessage } from '../../../lib/notifiers/slack/slackMessage';
import type { Report } from '../../../lib/report/Report';
import { eventually } from '../../support/eventually';
import { FakeClock } from '../../support/fakeClock';
import { refusedUrl, slackAnswers, startFakeSlack, type FakeSlack } from '../../support/fakeSlack';
import { newIssues, randomBrokenLinks } from '../../support/alertFlood';
import { sampleBrokenLinkReport, sampleErrorReport } from '../../support/reports';
import { recordingLogger, type RecordingLogger } from '../../support/recordingLogger';

// Small waits keep the suite fast; the behaviour is the same at production values.
// Specs about waits (pacing, Retry-After, timeouts, deadlines) drive a FakeClock instead.
// The attempt timeout is long: a fake clock advanced while a real request is in flight must not time it out.
const fast = { minIntervalMs: 0, retryBaseMs: 10, retryMaxMs: 50, timeoutMs: 600_000 };
// No jitter: a retry after a transient failure goes at once, so a spec needs no clock for it.
const noJitter = () => 0;

describe('SlackNotifier', () => {
  let slack: FakeSlack;
  let logger: RecordingLogger;
  const notifiers: SlackNotifier[] = [];

  function webhookNotifier(options: ConstructorParameters<typeof SlackNotifier>[0] = {}): SlackNotifier {
    const notifier = new SlackNotifier({ webhookUrl: slack.url, logger, ...fast, ...options });
    notifiers.push(notifier);
    return notifier;
  }

  beforeEach(async () => {
    slack = await startFakeSlack();
    logger = recordingLogger();
  });

  afterEach(async () => {
    await Promise.all(notifiers.splice(0).map((n) => n.close(0)));
    await slack.close();
  });

  describe('webhook delivery', () => {
    it('posts the error message as JSON and counts it sent', async () => {
      const report = sampleErrorReport();
      const notifier = webhookNotifier({ linkTemplate: 'https://errors.example.com/issues/{fingerprint}' });
      await notifier.notify(report);

      expect(slack.requests).to.have.length(1);
      const [request] = slack.requests;
      expect(request.method).to.equal('POST');
      expect(request.path).to.equal(new URL(slack.url).pathname);
      expect(request.headers['content-type']).to.match(/^application\/json/);
      expect(request.body).to.deep.equal(slackMessage(report, { linkTemplate: 'https://errors.example.com/issues/{fingerprint}' }));
      expect(request.raw).to.include('<https://errors.example.com/issues/f3a9c1d2e4b5|View issue>');
      expect(notifier.stats).to.deep.equal({ sent: 1, retried: 0, failed: 0, dropped: 0, rateLimited: 0, summarized: 0 });
    });

    it('posts the broken-link message in amber', async () => {
      const report = sampleBrokenLinkReport();
      await webhookNotifier().notify(report);

      const body = slack.requests[0].body as ReturnType<typeof slackMessage>;
      expect(body).to.deep.equal(slackMessage(report));
      expect(body.attachments[0].color).to.equal('#e8a317');
    });

    it('never posts Slack control sequences planted in the report', async () => {
      const planted = ['<!channel>', '<@U123>', '<https://evil|click>'];
      const report = sampleErrorReport({
        error: { ...sampleErrorReport().error!, message: `boom ${planted[0]} ${planted[2]}` },
        request: { ...sampleErrorReport().request!, path: `/x/${planted[0]}`, userAgent: `bot ${planted[1]}` },
        user: { id: '7', username: `mallory ${planted[1]} ${planted[2]}` },
      });
      await webhookNotifier().notify(report);

      const raw = slack.requests[0].raw;
      for (const sequence of planted) expect(raw).not.to.include(sequence);
      expect(raw).to.include('&lt;!channel&gt;');
      expect(raw).to.include('&lt;@U123&gt;');
      expect(raw).to.include('&lt;https://evil|click&gt;');
    });
  });

  describe('failures', () => {
    it('waits Retry-After on 429, pausing the whole queue, then retries', async () => {
      slack.respondWith(slackAnswers.rateLimited(1));
      const clock = new FakeClock();
      const notifier = webhookNotifier({ clock });
      const first = sampleErrorReport({ id: 'first' });
      const second = sampleErrorReport({ id: 'second', title: 'second alert' });
      const both = Promise.all([notifier.notify(first), notifier.notify(second)]);

      await eventually(() => notifier.stats.rateLimited === 1, { what: 'the 429 read' });
      await clock.advance(999);
      expect(slack.requests, 'nothing sent before Retry-After').to.have.length(1);
      await clock.advance(1);
      await both;

      expect(slack.requests).to.have.length(3);
      const [limited, retry, next] = slack.requests;
      // The retry is the same message, and the other message waited too.
      expect(retry.raw).to.equal(limited.raw);
      expect(next.raw).to.include('second alert');
      expect(notifier.stats).to.deep.equal({ sent: 2, retried: 1, failed: 0, dropped: 0, rateLimited: 1, summarized: 0 });
    });

    it('waits 1 s on a 429 without Retry-After', async () => {
      slack.respondWith(slackAnswers.rateLimited(null));
      const clock = new FakeClock();
      const notifier = webhookNotifier({ clock });
      const sending = notifier.notify(sampleErrorReport());

      await eventually(() => notifier.stats.rateLimited === 1, { what: 'the 429 read' });
      await clock.advance(999);
      expect(slack.requests).to.have.length(1);
      await clock.advance(1);
      await sending;
      expect(slack.requests).to.have.length(2);
    });

    it('retries a 500 rollup_error and sends', async () => {
      slack.respondWith(slackAnswers.rollupError());
      const notifier = webhookNotifier();
      await notifier.notify(sampleErrorReport());

      expect(slack.requests).to.have.length(2);
      expect(notifier.stats).to.include({ sent: 1, retried: 1, failed: 0 });
      expect(logger.lines.some((line) => line.level === 'warn' && line.fields?.code === 'rollup_error')).to.equal(true);
    });

    for (const [name, answer, status] of [
      ['invalid_payload', slackAnswers.invalidPayload(), 400],
      ['action_prohibited', slackAnswers.actionProhibited(), 403],
      ['channel_not_found', slackAnswers.channelNotFound(), 404],
      ['channel_is_archived', slackAnswers.channelIsArchived(), 410],
    ] as const) {
      it(`does not retry ${status} ${name}, and logs it once with Slack's code`, async () => {
        slack.respondWith(answer);
        const notifier = webhookNotifier();
        await notifier.notify(sampleErrorReport());

        expect(slack.requests).to.have.length(1);
        expect(notifier.stats).to.include({ sent: 0, retried: 0, failed: 1 });
        expect(logger.lines).to.have.length(1);
        expect(logger.lines[0]).to.include({ level: 'error' });
        expect(logger.lines[0].fields).to.include({ status, code: name });
      });
    }

    it('times out a slow reply on its own deadline and retries', async () => {
      slack.respondWith(slackAnswers.slow(60_000));
      const clock = new FakeClock();
      const notifier = webhookNotifier({ timeoutMs: 200, clock, random: noJitter });
      const sending = notifier.notify(sampleErrorReport());

      await slack.waitForRequests(1);
      await clock.advance(199);
      expect(notifier.stats.retried, 'still waiting for the answer').to.equal(0);
      await clock.advance(1);
      await sending;

      expect(slack.requests).to.have.length(2);
      expect(notifier.stats).to.include({ sent: 1, retried: 1 });
      expect(logger.lines[0].fields).to.include({ code: 'ETIMEDOUT', timeoutMs: 200 });
    });

    it('retries a refused connection up to maxRetries, then gives up and logs', async () => {
      const notifier = new SlackNotifier({ webhookUrl: await refusedUrl(), logger, ...fast, maxRetries: 2 });
      notifiers.push(notifier);
      await notifier.notify(sampleErrorReport());

      expect(notifier.stats).to.include({ sent: 0, retried: 2, failed: 1 });
      const warnings = logger.lines.filter((line) => line.level === 'warn');
      const errors = logger.lines.filter((line) => line.level === 'error');
      expect(warnings).to.have.length(2);
      expect(errors).to.have.length(1);
      expect(errors[0].fields).to.include({ code: 'ECONNREFUSED', attempts: 3 });
    });

    it('never logs the webhook URL or its secret path', async () => {
      const webhookUrl = await refusedUrl('/services/T1/B1/s3cr3tT0ken');
      const notifier = new SlackNotifier({ webhookUrl, logger, ...fast, maxRetries: 1 });
      notifiers.push(notifier);
      await notifier.notify(sampleErrorReport());
      // And a rejection whose body quotes the URL.
      slack.respondWith({ status: 400, body: `invalid_payload for ${slack.url}` });
      await webhookNotifier().notify(sampleErrorReport());

      expect(logger.lines.length).to.be.at.least(3);
      const logged = logger.dump();
      expect(logged).not.to.include('s3cr3tT0ken');
      expect(logged).not.to.include(new URL(slack.url).pathname);
      expect(logged).to.include('invalid_payload for');
    });

    it('logs and resolves for a report it cannot read, without posting', async () => {
      const notifier = webhookNotifier();
      await notifier.notify({ id: 'broken' } as unknown as Report);

      expect(slack.requests).to.have.length(0);
      expect(notifier.stats.failed).to.equal(1);
      expect(logger.lines[0]).to.include({ level: 'error' });
    });
  });

  describe('pacing and queue', () => {
    it('sends in order, minIntervalMs apart on the clock', async () => {
      const clock = new FakeClock();
      const notifier = webhookNotifier({ minIntervalMs: 200, clock });
      const [one, two, three] = ['one', 'two', 'three'].map((title) => notifier.notify(sampleErrorReport({ title })));

      await one;
      await clock.advance(199);
      expect(slack.requests, 'the second waits its gap').to.have.length(1);
      await clock.advance(1);
      await two;
      expect(slack.requests).to.have.length(2);
      await clock.advance(199);
      expect(slack.requests).to.have.length(2);
      await clock.advance(1);
      await three;

      expect(slack.requests.map((r) => (r.body as { attachments: Array<{ blocks: Array<{ text?: { text: string } }> }> }).attachments[0].blocks[0].text?.text))
        .to.deep.equal(['one', 'two', 'three']);
    });

    it('drops the oldest waiting message past maxQueue, counts and logs it', async () => {
      const clock = new FakeClock();
      const notifier = webhookNotifier({ minIntervalMs: 100, maxQueue: 2, clock });
      const titles = ['sending', 'oldest waiting', 'waiting', 'newest'];
      const all = Promise.all(titles.map((title, i) => notifier.notify(sampleErrorReport({ id: `r${i}`, title }))));
      await eventually(async () => {
        await clock.advance(100);
        return notifier.stats.sent === 3;
      }, { what: 'three sent' });
      await all;

      const sent = slack.requests.map((r) => r.raw);
      expect(sent).to.have.length(3);
      expect(sent.some((raw) => raw.includes('oldest waiting'))).to.equal(false);
      expect(notifier.stats).to.include({ sent: 3, dropped: 1 });
      const drop = logger.lines.find((line) => line.level === 'warn');
      expect(drop?.fields).to.include({ reportId: 'r1', maxQueue: 2 });
    });

    it('close() waits for the queue', async () => {
      const notifier = webhookNotifier({ minIntervalMs: 0 });
      const pending = [1, 2, 3].map((i) => notifier.notify(sampleErrorReport({ id: `r${i}` })));
      await notifier.close();

      expect(slack.requests).to.have.length(3);
      expect(notifier.stats.sent).to.equal(3);
      await Promise.all(pending);
    });

    it('close(deadline) cancels what is left at the deadline, resolves every notify, and logs the count', async () => {
      slack.setDefault(slackAnswers.rateLimited(30));
      const clock = new FakeClock();
      const notifier = webhookNotifier({ clock });
      const pending = [1, 2, 3].map((i) => notifier.notify(sampleErrorReport({ id: `r${i}` })));
      await eventually(() => notifier.stats.rateLimited === 1, { what: 'the 429 read' });
      let closed = false;
      const closing = notifier.close(100).then(() => { closed = true; });
      await clock.advance(99);
      expect(closed, 'not before its deadline').to.equal(false);
      await clock.advance(1);
      await closing;
      await Promise.all(pending);

      expect(slack.requests).to.have.length(1);
      expect(notifier.stats).to.include({ sent: 0, dropped: 3, rateLimited: 1 });
      expect(logger.dump()).to.match(/cancelled.*"cancelled":2/);
    });

    it('does not send after close()', async () => {
      const notifier = webhookNotifier();
      await notifier.close();
      await notifier.notify(sampleErrorReport());

      expect(slack.requests).to.have.length(0);
      expect(notifier.stats.dropped).to.equal(1);
      expect(logger.lines[0]).to.include({ level: 'warn' });
    });
  });

  describe('alert budget', () => {
    for (const [flood, reports, headlines] of [
      ['100 random broken links', () => randomBrokenLinks(100), ['…and 80 more broken links in the last 10 min']],
      ['100 new issues', () => newIssues(100), ['…and 80 more new issues in the last 10 min']],
      // Each kind has its own budget: the links never spend the errors'.
      ['50 broken links and 50 new issues together', () => [...randomBrokenLinks(50), ...newIssues(50)], ['…and 30 more broken links in the last 10 min', '…and 30 more new issues in the last 10 min']],
    ] as const) {
      it(`${flood} give maxAlertsPerWindow messages of each kind, then one summary per kind at the end of the window`, async () => {
        const clock = new FakeClock();
        const notifier = webhookNotifier({ clock });
        const budget = 20 * headlines.length;
        await Promise.all(reports().map((report) => notifier.notify(report)));
        expect(slack.requests, 'the budget: 20 per kind and window by default').to.have.length(budget);
        expect(notifier.stats).to.include({ sent: budget, summarized: 100 - budget });

        await clock.advance(599_999);
        expect(slack.requests).to.have.length(budget);
        await clock.advance(1);
        await eventually(() => notifier.stats.sent === budget + headlines.length, { what: 'the summaries sent' });
        const summaries = slack.requests.slice(budget);
        expect(summaries.map((r) => (r.body as ReturnType<typeof slackMessage>).text).sort()).to.deep.equal([...headlines].sort());
        expect(summaries.every((r) => /held back/i.test(r.raw))).to.equal(true);

        await clock.advance(3_600_000);
        await notifier.close();
        expect(slack.requests, 'at most the budget + one summary per kind').to.have.length(budget + headlines.length);
      });
    }

    it('close() sends the summary of what the window holds so far', async () => {
      const clock = new FakeClock();
      const notifier = webhookNotifier({ clock, maxAlertsPerWindow: 2, budgetWindowMs: 60_000 });
      await Promise.all(newIssues(5).map((report) => notifier.notify(report)));
      await clock.advance(30_000);
      await notifier.close();
      expect(slack.requests).to.have.length(3);
      expect((slack.requests[2].body as { text: string }).text).to.equal('…and 3 more new issues in the last 30 s');
    });

    it('escapes the titles it lists', async () => {
      const notifier = webhookNotifier({ maxAlertsPerWindow: 1 });
      await Promise.all(newIssues(2).map((report, i) => notifier.notify({ ...report, title: i ? '<!channel> pwned' : 'first' })));
      await notifier.close();
      expect(slack.requests[1].raw).not.to.include('<!channel>');
      expect(slack.requests[1].raw).to.include('&lt;!channel&gt; pwned');
    });
  });

  describe('Web API mode', () => {
    function apiNotifier(options: ConstructorParameters<typeof SlackNotifier>[0] = {}): SlackNotifier {
      const notifier = new SlackNotifier({ token: 'xoxb-test-token', channel: 'C0ALERTS', apiUrl: slack.apiUrl, logger, ...fast, ...options });
      notifiers.push(notifier);
      return notifier;
    }

    it('threads later alerts of a fingerprint under the first', async () => {
      const notifier = apiNotifier();
      await Promise.all([
        notifier.notify(sampleErrorReport({ id: 'a1', fingerprint: 'fp-a' })),
        notifier.notify(sampleErrorReport({ id: 'b1', fingerprint: 'fp-b' })),
        notifier.notify(sampleErrorReport({ id: 'a2', fingerprint: 'fp-a', alert: { reason: 'window', suppressed: 4, windowMs: 600_000, count: 6 } })),
      ]);

      expect(slack.requests.map((r) => r.path)).to.deep.equal(Array(3).fill('/api/chat.postMessage'));
      const [a1, b1, a2] = slack.requests.map((r) => r.body as Record<string, unknown>);
      expect(slack.requests[0].headers.authorization).to.equal('Bearer xoxb-test-token');
      expect(a1).to.include({ channel: 'C0ALERTS' });
      expect(a1).not.to.have.property('thread_ts');
      expect(b1).not.to.have.property('thread_ts');
      expect(a2.thread_ts).to.equal('1700000000.000001');
      expect(notifier.stats.sent).to.equal(3);
    });

    it('logs an `ok: false` answer with its error and does not retry it', async () => {
      slack.respondWith(slackAnswers.apiError('channel_not_found'));
      const notifier = apiNotifier();
      await notifier.notify(sampleErrorReport());

      expect(slack.requests).to.have.length(1);
      expect(notifier.stats).to.include({ failed: 1, retried: 0 });
      expect(logger.lines[0].fields).to.include({ code: 'channel_not_found' });
      expect(logger.dump()).not.to.include('xoxb-test-token');
    });

    it('retries a 429 from the Web API after Retry-After', async () => {
      slack.respondWith(slackAnswers.rateLimited(1));
      const clock = new FakeClock();
      const notifier = apiNotifier({ clock });
      const sending = notifier.notify(sampleErrorReport());
      await eventually(() => notifier.stats.rateLimited === 1, { what: 'the 429 read' });
      await clock.advance(999);
      expect(slack.requests).to.have.length(1);
      await clock.advance(1);
      await sending;

      expect(slack.requests).to.have.length(2);
      expect(notifier.stats).to.include({ sent: 1, rateLimited: 1 });
    });
  });

  describe('options', () => {
    it('rejects missing or unusable settings with errors naming the option', () => {
      expect(() => new SlackNotifier({ logger })).to.throw(TypeError, /webhookUrl/);
      expect(() => new SlackNotifier({ webhookUrl: 'not a url', logger })).to.throw(TypeError, /webhookUrl/);
      expect(() => new SlackNotifier({ webhookUrl: 'ftp://hooks.slack.com/x', logger })).to.throw(TypeError, /webhookUrl/);
      expect(() => new SlackNotifier({ token: 'xoxb-1', logger })).to.throw(TypeError, /channel/);
      expect(() => new SlackNotifier({ channel: 'C1', logger })).to.throw(TypeError, /token/);
      expect(() => new SlackNotifier({ webhookUrl: slack.url, token: 'x', channel: 'C1', logger })).to.throw(TypeError, /not both/);
      expect(() => new SlackNotifier({ webhookUrl: slack.url, maxQueue: 0, logger })).to.throw(RangeError, /maxQueue/);
      expect(() => new SlackNotifier({ webhookUrl: slack.url, timeoutMs: -1, logger })).to.throw(RangeError, /timeoutMs/);
      expect(() => new SlackNotifier({ webhookUrl: slack.url, retryBaseMs: 100, retryMaxMs: 10, logger })).to.throw(RangeError, /retryMaxMs/);
      expect(() => new SlackNotifier({ webhookUrl: slack.url, linkTemplate: 'https://x/{nope}', logger })).to.throw(TypeError, /linkTemplate/);
      expect(() => new SlackNotifier({ webhookUrl: slack.url, maxAlertsPerWindow: 0, logger })).to.throw(RangeError, /maxAlertsPerWindow/);
      expect(() => new SlackNotifier({ webhookUrl: slack.url, clock: {} as never, logger })).to.throw(TypeError, /clock/);
      expect(() => new SlackNotifier({ webhookUrl: slack.url, minIntervalMS: 10, logger } as never)).to.throw(TypeError, /unknown option `minIntervalMS`; did you mean `minIntervalMs`/);
    });

    it('does not echo an invalid webhook URL in the error', () => {
      expect(() => new SlackNotifier({ webhookUrl: 'hooks.slack.com/services/T1/B1/s3cr3t', logger }))
        .to.throw(TypeError)
        .with.property('message')
        .that.does.not.include('s3cr3t');
    });

    it('warns about plain http outside loopback, without the URL', () => {
      new SlackNotifier({ webhookUrl: 'http://hooks.example.com/services/T1/B1/s3cr3t', logger });
      new SlackNotifier({ webhookUrl: slack.url, logger });

      expect(logger.lines).to.have.length(1);
      expect(logger.lines[0].level).to.equal('warn');
      expect(logger.lines[0].message).to.include('webhookUrl');
      expect(logger.dump()).not.to.include('s3cr3t');
    });

    it('fromEnv() reads SLACK_WEBHOOK_URL, or returns null', async () => {
      expect(SlackNotifier.fromEnv({})).to.equal(null);
      expect(SlackNotifier.fromEnv({ SLACK_WEBHOOK_URL: '  ' })).to.equal(null);
      const notifier = SlackNotifier.fromEnv({ SLACK_WEBHOOK_URL: slack.url }, { logger, ...fast });
      expect(notifier).to.be.instanceOf(SlackNotifier);
      notifiers.push(notifier!);
      await notifier!.notify(sampleErrorReport());
      expect(slack.requests).to.have.length(1);
    });

    it('exposes the filter as accepts()', () => {
      const notifier = webhookNotifier({ filter: { kinds: ['error'] } });
      expect(notifier.accepts(sampleErrorReport())).to.equal(true);
      expect(notifier.accepts(sampleBrokenLinkReport())).to.equal(false);
    });
  });
});
