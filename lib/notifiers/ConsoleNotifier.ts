import { consoleLogger } from '../core/logger';
import type { Report } from '../report/Report';
import { describeAlert, describeCount } from './alertReason';
import type { Logger } from '../core/logger';
import type { Notifier } from '../delivery/ports';
import { notifierFilter, type NotifierFilterOptions } from './notifierFilter';

export interface ConsoleNotifierOptions {
  logger?: Logger;
  filter?: NotifierFilterOptions;
}

const defaults = {
  logger: consoleLogger as Logger,
  filter: {} as NotifierFilterOptions,
};

/**
 * One log line per alert: what the stack falls back to when neither Slack nor email
 * is configured, so an error is never announced nowhere.
 */
export class ConsoleNotifier implements Notifier {
  readonly name = 'console';
  readonly accepts: (report: Report) => boolean;
  private readonly logger: Logger;

  constructor(options: ConsoleNotifierOptions = {}) {
    const opts = { ...defaults, ...Object.fromEntries(Object.entries(options ?? {}).filter(([, v]) => v !== undefined)) };
    const logger = opts.logger as Partial<Logger> | null;
    if (!logger || typeof logger.warn !== 'function' || typeof logger.error !== 'function' || typeof logger.info !== 'function') {
      throw new TypeError('ConsoleNotifier: logger must have info, warn and error methods');
    }
    this.logger = opts.logger;
    this.accepts = notifierFilter(opts.filter);
  }

  async notify(report: Report): Promise<void> {
    const count = describeCount(report.alert);
    const line = `${report.kind === 'error' ? 'Error' : 'Broken link'}: ${report.title} (${describeAlert(report.alert)}${count ? `, ${count.toLowerCase()}` : ''})`;
    const fields: Record<string, unknown> = {
      status: report.status,
      requestId: report.request?.requestId ?? null,
      fingerprint: report.fingerprint,
    };
    if (report.error) fields.error = `${report.error.type}: ${report.error.message}`;
    if (report.brokenLink) fields.referer = report.brokenLink.referer;
    // Broken links are the site's fault but not an outage: a warning, not an error.
    if (report.kind === 'error') this.logger.error(line, fields);
    else this.logger.warn(line, fields);
  }
}
