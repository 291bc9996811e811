import { expect } from 'chai';
import { createSlackClient, postToSlack, retryAfterMs } from '../../../lib/notifiers/slack/slackTransport';
import { refusedUrl, slackAnswers, startFakeSlack, type FakeSlack } from '../../support/fakeSlack';

describe('slackTransport', () => {
  let slack: FakeSlack;
  const client = createSlackClient(300);
  const post = (url: string, token?: string) =>
    postToSlack(client, { url, token }, token ? { channel: 'C1', text: 'hi' } : { text: 'hi' }, new AbortController().signal);

  beforeEach(async () => {
    slack = await startFakeSlack();
  });
  afterEach(() => slack.close());

  it('classifies webhook answers', async () => {
    slack.respondWith(
      slackAnswers.ok(),
      slackAnswers.rateLimited(7),
      slackAnswers.rollupError(),
      slackAnswers.invalidPayload(),
      slackAnswers.channelIsArchived(),
      slackAnswers.slow(2000),
    );
    expect(await post(slack.url)).to.deep.equal({ kind: 'sent', ts: null });
    expect(await post(slack.url)).to.deep.equal({ kind: 'rate-limited', retryAfterMs: 7000, status: 429, code: 'ratelimited' });
    expect(await post(slack.url)).to.deep.equal({ kind: 'transient', status: 500, code: 'rollup_error' });
    expect(await post(slack.url)).to.deep.equal({ kind: 'rejected', status: 400, code: 'invalid_payload' });
    expect(await post(slack.url)).to.deep.equal({ kind: 'rejected', status: 410, code: 'channel_is_archived' });
    expect(await post(slack.url)).to.deep.include({ kind: 'transient', status: null });
  });

  it('classifies a refused connection as transient', async () => {
    expect(await post(await refusedUrl())).to.deep.equal({ kind: 'transient', status: null, code: 'ECONNREFUSED' });
  });

  it('reads Web API answers, including `ok: false` on HTTP 200', async () => {
    const api = `${slack.apiUrl}/chat.postMessage`;
    slack.respondWith(slackAnswers.apiError('internal_error'), slackAnswers.apiError('channel_not_found'));
    expect(await post(api, 'xoxb-1')).to.deep.equal({ kind: 'transient', status: 200, code: 'internal_error' });
    expect(await post(api, 'xoxb-1')).to.deep.equal({ kind: 'rejected', status: 200, code: 'channel_not_found' });
    expect(await post(api, 'xoxb-1')).to.deep.equal({ kind: 'sent', ts: '1700000000.000001' });
  });

  it('reports a cancelled request as cancelled', async () => {
    slack.respondWith(slackAnswers.slow(2000));
    const controller = new AbortController();
    const pending = postToSlack(client, { url: slack.url }, { text: 'hi' }, controller.signal);
    await slack.waitForRequests(1);
    controller.abort();
    expect(await pending).to.deep.equal({ kind: 'cancelled' });
  });

  it('reads Retry-After as seconds or a date, 1 s otherwise', () => {
    expect(retryAfterMs('3')).to.equal(3000);
    expect(retryAfterMs('0.5')).to.equal(500);
    expect(retryAfterMs(undefined)).to.equal(1000);
    expect(retryAfterMs('soon')).to.equal(1000);
    expect(retryAfterMs(new Date(Date.now() + 60_000).toUTCString())).to.be.within(58_000, 60_000);
  });
});
