import type { Report } from '../report/Report';
import type { Logger } from '../core/logger';
import type { Clock } from '../core/clock';
import { messageOf } from '../core/errors';
import { withDeadline } from './deadline';

export type Enrich = (report: Report) => Report | Promise<Report>;

/**
 * The worker's step before saving: `enrich` (source context, say), bounded by a
 * deadline. It runs off the request path; a throw, a rejection, a late answer or
 * something that is not a report leaves the report as it was, logged once per kind of
 * failure. Never rejects.
 */
export function enrichment(enrich: Enrich | null, timeoutMs: number, clock: Clock, logger: Logger, name: string): (report: Report) => Promise<Report> {
  if (!enrich) return (report) => Promise.resolve(report);
  const logged = new Set<string>();
  const failed = (report: Report, why: string) => {
    if (logged.size < 100 && !logged.has(why)) {
      logged.add(why);
      logger.warn('could not enrich a report; saved as it was', { delivery: name, reportId: report.id, error: why });
    }
    return report;
  };
  return async (report) => {
    try {
      const enriched = await withDeadline(Promise.resolve().then(() => enrich(report)), timeoutMs, clock, `enrich did not answer within ${timeoutMs} ms`);
      if (!enriched || typeof enriched !== 'object' || typeof enriched.id !== 'string') return failed(report, 'enrich returned something that is not a report');
      return enriched;
    } catch (err) {
      return failed(report, messageOf(err));
    }
  };
}
