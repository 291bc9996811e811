import { expect } from 'chai';
import { notifierPipeline } from '../../lib/notifiers/notifierPipeline';
import { SlackNotifier } from '../../lib/notifiers/slack/SlackNotifier';
import { FakeClock } from '../support/fakeClock';
import { startFakeSlack } from '../support/fakeSlack';
import { recordingLogger } from '../support/recordingLogger';
import { sampleErrorReport } from '../support/reports';

describe('PipelinedNotifier', () => {
  const clock = new FakeClock();
  const logger = recordingLogger();

  it('is one pipeline per notifier, whoever asks: a built-in notifier called directly shares its budget with delivery', async () => {
    const slack = await startFakeSlack();
    try {
      const notifier = new SlackNotifier({ webhookUrl: slack.url, logger, clock, minIntervalMs: 0, maxAlertsPerWindow: 1 });
      const fromDelivery = notifierPipeline(notifier, { clock });
      expect(notifierPipeline(notifier)).to.equal(fromDelivery);
      await notifier.notify(sampleErrorReport({ fingerprint: 'direct' }));
      expect(await fromDelivery.notify(sampleErrorReport({ fingerprint: 'delivered' }))).to.equal('held');
      expect(notifier.stats).to.include({ sent: 1, summarized: 1 });
      await notifier.close(1000);
      expect(slack.requests).to.have.length(2);
    } finally {
      await slack.close();
    }
  });


  it('exposes its parts (format and send) and its own settings, not its options', () => {
    const notifier = new SlackNotifier({ webhookUrl: 'https://hooks.slack.com/services/T0/B0/x', logger, maxRetries: 2 });
    const parts = notifier.pipelineParts();
    expect(parts.label).to.equal('Slack');
    expect(parts.settings).to.deep.equal({ logger, minIntervalMs: 1000, maxRetries: 2, retryBaseMs: 1000, retryMaxMs: 60_000, timeoutMs: 5000 });
    expect(parts.format(sampleErrorReport()).message.text).to.include('New issue');
  });
});
