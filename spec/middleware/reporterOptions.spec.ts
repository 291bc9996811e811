import { expect } from 'chai';
import { silentLogger, SlackNotifier } from '../../lib';
import { notifiersFromEnvironment } from '../../lib/middleware/environmentDefaults';
import { checkReporterKeys, REPORTER_OPTION_KEYS, reporterParts } from '../../lib/middleware/reporterOptions';
import { RecordingNotifier } from '../support/recordingNotifier';

describe('reporterOptions', () => {
  it('knows every option both reporters take', () => {
    expect([...REPORTER_OPTION_KEYS].sort()).to.deep.equal(
      ['delivery', 'environment', 'filter', 'fingerprint', 'getUser', 'limits', 'logger', 'notifiers', 'release', 'store', 'windowMs'],
    );
  });

  it('refuses an unknown key, naming the closest of the shared and the reporter’s own keys', () => {
    expect(() => checkReporterKeys('errorReporter', { windowMS: 1 }, ['reportStatuses'])).to.throw(TypeError, /unknown option `windowMS`; did you mean `windowMs`\?/);
    expect(() => checkReporterKeys('errorReporter', { reportStatus: [] }, ['reportStatuses'])).to.throw(TypeError, /did you mean `reportStatuses`\?/);
    expect(() => checkReporterKeys('errorReporter', null as never, [])).to.throw(TypeError, /options must be an object/);
    expect(() => checkReporterKeys('errorReporter', { store: null, reportStatuses: [] }, ['reportStatuses'])).not.to.throw();
  });

  it('builds the report options and a delivery with the given parts and window', async () => {
    const notifier = new RecordingNotifier();
    const { report, delivery } = reporterParts('errors', { store: null, notifiers: [notifier], environment: 'staging', logger: silentLogger }, 60_000);
    expect(report.environment).to.equal('staging');
    await delivery.close(1000);
    expect(notifier.closed).to.equal(true);
  });

  it('releases the environment defaults it took when the delivery refuses its options', async () => {
    const env = { SLACK_WEBHOOK_URL: process.env.SLACK_WEBHOOK_URL };
    process.env.SLACK_WEBHOOK_URL = 'http://127.0.0.1:9/hook';
    try {
      expect(() => reporterParts('errors', { store: null, logger: silentLogger, delivery: { maxQueue: -1 } }, 60_000)).to.throw(RangeError, /maxQueue/);
      // Had the refused reporter kept its hold, closing the only other user would not free the notifier.
      const [held] = notifiersFromEnvironment(silentLogger) as SlackNotifier[];
      await held.close();
      const [next] = notifiersFromEnvironment(silentLogger) as SlackNotifier[];
      expect(next.stats).to.not.equal(held.stats);
      await next.close();
    } finally {
      if (env.SLACK_WEBHOOK_URL === undefined) delete process.env.SLACK_WEBHOOK_URL;
      else process.env.SLACK_WEBHOOK_URL = env.SLACK_WEBHOOK_URL;
    }
  });
});
