import type { ErrorInfo, Report } from '../Report';
import type { CloneSession } from './cloneSession';

const LEFT_OUT = '[truncated: report over maxReportBytes]';

/**
 * The last guard of `limits.maxReportBytes`. The clone's budget is an estimate (it counts
 * characters, JSON counts UTF-8 bytes and escapes), so a report that came near its cap is
 * measured once (its JSON, the worker's costliest step for a bulky report: docs/performance.md),
 * and parts are dropped in the documented order until it fits: extras, then the body,
 * then causes and listed errors, then the stack. Reports far below the cap (nearly all)
 * are never serialised here.
 */
export function fitReport(report: Report, session: CloneSession): Report {
  const cap = session.limits.maxReportBytes;
  if (cap === undefined) return report;
  // JSON can take up to 6 bytes for one character counted (a control character as \u0000),
  // so only a report estimated under a sixth of the cap is sure to fit unmeasured.
  const used = cap - session.bytes;
  if (!session.exhausted && used < cap / 6) return report;
  let fitted = report;
  for (const shrink of SHRINKS) {
    if (jsonBytes(fitted) <= cap) return fitted;
    fitted = shrink(fitted);
  }
  return fitted;
}

const SHRINKS: Array<(report: Report) => Report> = [
  (report) => withError(report, (error) => ({ ...error, extra: leftOut(error.extra), cause: error.cause.map((c) => ({ ...c, extra: leftOut(c.extra) })) })),
  (report) => (report.request ? { ...report, request: { ...report.request, body: report.request.body === null ? null : LEFT_OUT } } : report),
  (report) => withError(report, (error) => ({ ...error, cause: [], errors: error.errors && [] })),
  (report) => (report.request ? { ...report, request: { ...report.request, headers: {}, query: {} } } : report),
  (report) => withError(report, (error) => ({ ...error, stack: null, message: error.message.slice(0, 1024) })),
];

function leftOut(extra: Record<string, unknown>): Record<string, unknown> {
  return Object.keys(extra).length === 0 ? extra : { '…': LEFT_OUT };
}

function withError(report: Report, change: (error: ErrorInfo) => ErrorInfo): Report {
  return report.error ? { ...report, error: change(report.error) } : report;
}

function jsonBytes(report: Report): number {
  try {
    return Buffer.byteLength(JSON.stringify(report));
  } catch {
    return Infinity;
  }
}
