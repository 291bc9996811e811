import { checkNonNegativeInteger, rejectUnknownKeys } from '../core/options';
import { REPORT_KINDS, type Report, type ReportKind } from '../report/Report';

const filterDefaults = {
  /** Reports with a lower status are not announced (broken links are 404s). */
  minStatus: undefined as number | undefined,
  /** Only these environments (report.environment); absent means all. */
  environments: undefined as string[] | undefined,
  /** Only these kinds; absent means both. */
  kinds: undefined as ReportKind[] | undefined,
  /** Last word, after the other rules have accepted the report. */
  when: undefined as ((report: Report) => boolean) | undefined,
};

export type NotifierFilterOptions = Partial<typeof filterDefaults>;

/**
 * Builds the routing rule a notifier exposes as `accepts(report)`, e.g. errors to
 * Slack and broken links to email only, or production only.
 */
export function notifierFilter(options: NotifierFilterOptions = {}): (report: Report) => boolean {
  if (options === null || typeof options !== 'object') throw new TypeError('notifierFilter: options must be an object');
  rejectUnknownKeys('notifierFilter', options, Object.keys(filterDefaults));
  const { minStatus, environments, kinds, when } = options;
  if (minStatus !== undefined) checkNonNegativeInteger('notifierFilter', 'minStatus', minStatus);
  if (environments !== undefined && !(Array.isArray(environments) && environments.every((env) => typeof env === 'string'))) {
    throw new TypeError('notifierFilter: environments must be an array of strings');
  }
  if (kinds !== undefined && !(Array.isArray(kinds) && kinds.every((kind) => REPORT_KINDS.includes(kind)))) {
    throw new TypeError(`notifierFilter: kinds must be an array of ${REPORT_KINDS.map((k) => `'${k}'`).join(' or ')}`);
  }
  if (when !== undefined && typeof when !== 'function') throw new TypeError('notifierFilter: when must be a function');

  // Copies, so a caller mutating its arrays later does not silently reroute alerts.
  const allowedEnvironments = environments && new Set(environments);
  const allowedKinds = kinds && new Set(kinds);

  return function accepts(report: Report): boolean {
    if (minStatus !== undefined && report.status < minStatus) return false;
    if (allowedEnvironments && !allowedEnvironments.has(report.environment)) return false;
    if (allowedKinds && !allowedKinds.has(report.kind)) return false;
    return when ? when(report) === true : true;
  };
}
