import type { GroupingInfo, Report } from './Report';
import { errorFingerprint, frameKeys, messageKey } from './fingerprint';
import { requestValues } from './messageRules';

// Which rule grouped a report, in one line a person can check (as Sentry's grouping
// info does: https://docs.sentry.io/concepts/data-management/event-grouping/), kept
// with the fingerprint it explains (issue 19 §6).

const MAX_DETAIL = 300;
const MAX_DETAIL_FRAMES = 5;

/**
 * The fingerprint and grouping of an error report from its (scrubbed) error and
 * request: in-app frames when it has any, else the type and normalised message.
 */
export function groupedByContent(report: Pick<Report, 'error' | 'request'>): { fingerprint: string; grouping: GroupingInfo } {
  const error = report.error ?? { type: 'Error', message: '', frames: [] };
  const keys = frameKeys(error.frames);
  if (keys.length > 0) {
    const fingerprint = errorFingerprint(error);
    const shown = keys.slice(0, MAX_DETAIL_FRAMES).join(', ') + (keys.length > MAX_DETAIL_FRAMES ? `, … (${keys.length} frames)` : '');
    return { fingerprint, grouping: { rule: 'frames', detail: cut(`in-app frames of ${error.type}: ${shown}`) } };
  }
  // Only a message grouping needs the request's values (a frame grouping never reads them).
  const values = requestValues(report.request);
  const fingerprint = errorFingerprint(error, values);
  return { fingerprint, grouping: { rule: 'message', detail: cut(`normalised message of ${error.type}: ${messageKey(error.message, values)}`) } };
}

/** A fingerprint the app chose (`err.fingerprint` or the `fingerprint` option). */
export function customGrouping(source: 'err.fingerprint' | 'the fingerprint option'): GroupingInfo {
  return { rule: 'custom', detail: `custom fingerprint (${source})` };
}

/** A response status set without a throw: grouped by status, method and matched route. */
export function routeGrouping(status: number, method: string, route: string | null | undefined): GroupingInfo {
  return { rule: 'route', detail: cut(`route + status: ${method} ${route || '(no matched route)'} → ${status}`) };
}

/**
 * Whether the grouping is the report's content (frames, message), so mapped frames may
 * change it. A report that does not say (built by other code) keeps its fingerprint.
 */
export function groupsByContent(grouping: GroupingInfo | undefined): boolean {
  return grouping?.rule === 'frames' || grouping?.rule === 'message';
}

function cut(text: string): string {
  return text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL - 1)}…` : text;
}

/** Broken links: the URL and where it was linked from, as Django reports them. */
export function linkGrouping(): GroupingInfo {
  return { rule: 'link', detail: 'requested URL + referer' };
}
