import { consoleLogger, type Logger } from '../../core/logger';
import type { AlertSummary, Report } from '../../report/Report';
import { describeAlert, describeCount } from '../format/alertReason';
import { describeSummary, summaryLines } from '../format/alertSummary';
import type { NotifierFilterOptions } from '../notifierFilter';
import { readNotifierOptions, type PipelineOptions } from '../notifierPipeline';
import { PipelinedNotifier } from '../PipelinedNotifier';
import { printable, printableFields } from './printable';

const consoleDefaults = {
  filter: undefined as NotifierFilterOptions | undefined,
  /** Where the lines go (also the pipeline's own log lines); default the console. */
  logger: consoleLogger as Logger,
};

export type ConsoleNotifierOptions = Partial<typeof consoleDefaults> & PipelineOptions;

interface ConsoleLine {
  level: 'error' | 'warn';
  line: string;
  fields: Record<string, unknown>;
}

const WHERE = 'ConsoleNotifier';

/**
 * One log line per alert: what the stack falls back to when neither Slack nor email is
 * configured, so an error is never announced nowhere. Everything printed comes from a
 * report, so it is made printable first (no terminal escapes, no control characters).
 */
export class ConsoleNotifier extends PipelinedNotifier<ConsoleLine> {
  readonly name = 'console';

  constructor(options: ConsoleNotifierOptions = {}) {
    const { opts, pipelineOptions } = readNotifierOptions(WHERE, consoleDefaults, options);
    super(opts.filter);
    const { logger } = opts;
    this.parts = {
      label: 'Console',
      accepts: this.accepts,
      format: (report) => (report.alert?.reason === 'summary' && report.alert.summary ? summaryLine(report.alert.summary) : alertLine(report)),
      async send({ level, line, fields }) {
        logger[level](line, fields);
        return { kind: 'sent' };
      },
      settings: pipelineOptions,
    };
  }
}

function alertLine(report: Report): ConsoleLine {
  const count = describeCount(report.alert);
  const line = `${report.kind === 'error' ? 'Error' : 'Broken link'}: ${printable(report.title)} (${describeAlert(report.alert)}${count ? `, ${count.toLowerCase()}` : ''})`;
  const fields: Record<string, unknown> = {
    status: report.status,
    requestId: report.request?.requestId ?? null,
    fingerprint: report.fingerprint,
  };
  if (report.error) fields.error = `${report.error.type}: ${report.error.message}`;
  if (report.brokenLink) fields.referer = report.brokenLink.referer;
  // Broken links are the site's fault but not an outage: a warning, not an error.
  return { level: report.kind === 'error' ? 'error' : 'warn', line: printable(line), fields: printableFields(fields) };
}

/** The headline, then one line per issue held back: our own line breaks, each value made printable. */
function summaryLine(summary: AlertSummary): ConsoleLine {
  const lines = [printable(describeSummary(summary)), ...summaryLines(summary).map((line) => `  - ${printable(line)}`)];
  return { level: 'warn', line: lines.join('\n'), fields: { kind: summary.kind, held: summary.held } };
}
