// The Notifier contract run through the one pipeline on every notifier: Slack over real
// HTTP (fakeSlack), email over real SMTP, the console through a captured logger, and a
// plain object of the app's own (`{ name, notify, accepts }`, nothing else), which is
// filtered, budgeted per kind and paced by the same code as the built-in ones.
import { ConsoleNotifier } from '../../lib/notifiers/console/ConsoleNotifier';
import { EmailNotifier } from '../../lib/notifiers/email/EmailNotifier';
import { notifierFilter } from '../../lib/notifiers/notifierFilter';
import { SlackNotifier } from '../../lib/notifiers/slack/SlackNotifier';
import type { Notifier } from '../../lib/contracts/notifier';
import type { Report } from '../../lib/report/Report';
import { slackAnswers, startFakeSlack } from '../support/fakeSlack';
import { recordingLogger } from '../support/recordingLogger';
import { startSmtpServer } from '../support/smtpServer';
import { notifierContract, type ContractSetup } from './notifierContract';

// Attempts are bounded far beyond what a spec advances the fake clock while a real
// request is in flight; the deadlines under test are close()'s.
const queued = ({ clock, filter, maxAlertsPerWindow, budgetWindowMs, minIntervalMs = 0 }: ContractSetup) =>
  ({ logger: recordingLogger(), clock, filter, maxAlertsPerWindow, budgetWindowMs, minIntervalMs, retryBaseMs: 10, retryMaxMs: 50, timeoutMs: 600_000 });

notifierContract('SlackNotifier', async (setup) => {
  const slack = await startFakeSlack();
  if (setup.hanging) slack.setDefault(slackAnswers.slow(120_000));
  return {
    notifier: new SlackNotifier({ webhookUrl: slack.url, ...queued(setup) }),
    delivered: () => slack.requests.length,
    attempts: () => slack.requests.length,
    texts: () => slack.requests.map((request) => request.raw),
    cleanup: () => slack.close(),
  };
}, { hangs: true });

notifierContract('EmailNotifier', async (setup) => {
  const smtp = await startSmtpServer();
  if (setup.hanging) smtp.stall();
  return {
    notifier: new EmailNotifier({ smtp: smtp.transportOptions, from: 'tripwire@example.test', to: 'ops@example.test', ...queued(setup) }),
    delivered: () => smtp.messages.length,
    attempts: () => smtp.attempts,
    texts: () => smtp.messages.map((mail) => `${mail.subject}\n${mail.text ?? ''}`),
    cleanup: () => smtp.close(),
  };
}, { hangs: true });

notifierContract('ConsoleNotifier', async (setup) => {
  const logger = recordingLogger();
  const { clock, filter, maxAlertsPerWindow, budgetWindowMs, minIntervalMs } = setup;
  return {
    notifier: new ConsoleNotifier({ logger, clock, filter, maxAlertsPerWindow, budgetWindowMs, minIntervalMs }),
    delivered: () => logger.lines.length,
    attempts: () => logger.lines.length,
    texts: () => logger.lines.map((line) => `${line.message} ${JSON.stringify(line.fields ?? {})}`),
    cleanup: async () => {},
  };
}, { hangs: false });

// A notifier as an app writes one (PagerDuty-style): no budget, no queue, no pacing of
// its own; it gets all of them from the pipeline, with the settings given to the pipeline.
notifierContract('a plain object of the app\'s own', async ({ filter, hanging }) => {
  const received: Report[] = [];
  const accepts = filter ? notifierFilter(filter) : undefined;
  const notifier: Notifier = {
    name: 'pager',
    notify(report) {
      received.push(report);
      return hanging ? new Promise<void>(() => undefined) : Promise.resolve();
    },
    ...(accepts ? { accepts } : {}),
  };
  return {
    notifier,
    delivered: () => (hanging ? 0 : received.length),
    attempts: () => received.length,
    texts: () => received.map((report) => JSON.stringify(report)),
    cleanup: async () => {},
  };
}, { hangs: true });
