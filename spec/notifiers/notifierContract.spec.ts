// The Notifier contract run against every notifier: Slack over real HTTP (fakeSlack),
// email over real SMTP, the console through a captured logger, and the specs' own
// RecordingNotifier (a notifier as an app would write one).
import { ConsoleNotifier } from '../../lib/notifiers/console/ConsoleNotifier';
import { EmailNotifier } from '../../lib/notifiers/email/EmailNotifier';
import { notifierFilter } from '../../lib/notifiers/notifierFilter';
import { SlackNotifier } from '../../lib/notifiers/slack/SlackNotifier';
import { slackAnswers, startFakeSlack } from '../support/fakeSlack';
import { RecordingNotifier } from '../support/recordingNotifier';
import { recordingLogger } from '../support/recordingLogger';
import { startSmtpServer } from '../support/smtpServer';
import { notifierContract } from './notifierContract';

// Attempts are bounded far beyond what a spec advances the fake clock while a real
// request is in flight; the deadlines under test are close()'s.
const queued = { minIntervalMs: 0, retryBaseMs: 10, retryMaxMs: 50, timeoutMs: 600_000 };

notifierContract('SlackNotifier', async ({ clock, filter, maxAlertsPerWindow, budgetWindowMs, hanging }) => {
  const slack = await startFakeSlack();
  if (hanging) slack.setDefault(slackAnswers.slow(120_000));
  const notifier = new SlackNotifier({ webhookUrl: slack.url, logger: recordingLogger(), clock, filter, maxAlertsPerWindow, budgetWindowMs, ...queued });
  return {
    notifier,
    delivered: () => slack.requests.length,
    attempts: () => slack.requests.length,
    cleanup: () => slack.close(),
  };
}, { hangs: true, budget: true });

notifierContract('EmailNotifier', async ({ clock, filter, maxAlertsPerWindow, budgetWindowMs, hanging }) => {
  const smtp = await startSmtpServer();
  if (hanging) smtp.stall();
  const notifier = new EmailNotifier({
    smtp: smtp.transportOptions, from: 'tripwire@example.test', to: 'ops@example.test',
    logger: recordingLogger(), clock, filter, maxAlertsPerWindow, budgetWindowMs, ...queued,
  });
  return {
    notifier,
    delivered: () => smtp.messages.length,
    attempts: () => smtp.attempts,
    cleanup: () => smtp.close(),
  };
}, { hangs: true, budget: true });

notifierContract('ConsoleNotifier', async ({ clock, filter, maxAlertsPerWindow, budgetWindowMs }) => {
  const logger = recordingLogger();
  const notifier = new ConsoleNotifier({ logger, clock, filter, maxAlertsPerWindow, budgetWindowMs });
  return {
    notifier,
    delivered: () => logger.lines.length,
    attempts: () => logger.lines.length,
    cleanup: async () => {},
  };
}, { hangs: false, budget: true });

notifierContract('RecordingNotifier (a notifier of your own)', async ({ filter }) => {
  const notifier = new RecordingNotifier('recording', 'record', filter ? notifierFilter(filter) : undefined);
  return {
    notifier,
    delivered: () => notifier.received.length,
    attempts: () => notifier.received.length,
    cleanup: async () => {},
  };
}, { hangs: false, budget: false });
