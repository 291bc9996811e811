import type { Context } from 'koa';
import type { ErrorInfo, Report } from './Report';
import type { ReportOptions } from './reportOptions';
import { overrideFingerprint } from './fingerprint';
import { customGrouping, groupedByContent, routeGrouping } from './grouping';
import { ResponseStatus } from './responseStatus';
import { statusText } from '../envelope/envelope';
import { statusOf } from '../envelope/thrown';
import { upstreamTitle } from './httpClientError';
import { errorFingerprintOverride, errorInfo } from './errorInfo';
import { requestInfo } from './requestInfo';
import { cloneSession } from './scrub/cloneSession';
import { truncate, unreadable } from './scrub/truncate';
import { reportUser } from './reportUser';
import { baseReport } from './baseReport';
import { fitReport } from './scrub/reportSize';
import { applyFingerprintOption, filterFor, scrubReport } from './scrub/scrubReport';

// Django's AdminEmailHandler cuts subjects to 989 characters to stay within mail header limits.
const MAX_TITLE_LENGTH = 989;

/**
 * Builds the scrubbed report of an error from its request's context: during the
 * request, or later from the same context for a folded occurrence's tally (see
 * Delivery.offer). Accepts anything that can be thrown and never throws itself.
 * `status` wins over `err.status` / `err.statusCode`; the default is 500.
 */
export function buildErrorReport(err: unknown, ctx: Context | undefined, options: ReportOptions, status?: number): Report {
  try {
    return buildReport(err, ctx, options, status);
  } catch {
    // Every part already guards itself; this is the last line so reporting can never break a request.
    return minimalReport(status, options);
  }
}

function buildReport(err: unknown, ctx: Context | undefined, options: ReportOptions, status?: number): Report {
  // One budget for the whole report (limits.maxReportBytes), drawn on in the order of what is kept first.
  const session = cloneSession(options.limits, filterFor(ctx, options));
  let request: Report['request'] = null;
  const error = errorInfo(err, options.limits, session, () => {
    request = ctx ? requestInfo(ctx, options, session) : null;
  });
  const finalStatus = isHttpStatus(status) ? status : statusOf(err, ctx);
  const report = baseReport({
    kind: 'error',
    title: truncate(errorTitle(error, ctx, finalStatus), MAX_TITLE_LENGTH),
    status: finalStatus,
    error,
    request,
    ...(ctx ? { user: reportUser(ctx, options) } : {}),
    environment: options.environment,
    release: options.release,
  });

  const scrubbed = fitReport(scrubReport(report, ctx, options), session);
  // Computed from the scrubbed report, so secrets in messages cannot split groups, and
  // without the values the request carried, so clients cannot either.
  const override = errorFingerprintOverride(err);
  if (isResponseStatus(err)) {
    scrubbed.fingerprint = overrideFingerprint(err.fingerprint);
    scrubbed.grouping = routeGrouping(finalStatus, scrubbed.request?.method ?? '', scrubbed.request?.route);
  } else if (override) {
    scrubbed.fingerprint = overrideFingerprint(override);
    scrubbed.grouping = customGrouping('err.fingerprint');
  } else {
    Object.assign(scrubbed, groupedByContent(scrubbed));
  }
  const chosen = applyFingerprintOption(scrubbed, options);
  return chosen === scrubbed ? chosen : { ...chosen, grouping: customGrouping('the fingerprint option') };
}

function minimalReport(status: number | undefined, options: ReportOptions): Report {
  const finalStatus = isHttpStatus(status) ? status : 500;
  const error: ErrorInfo = { type: 'Error', message: '[unreportable error]', stack: null, frames: [], cause: [], extra: {} };
  return baseReport({
    kind: 'error',
    title: statusText(finalStatus),
    status: finalStatus,
    ...groupedByContent({ error, request: null }),
    error,
    environment: String(options?.environment ?? 'unknown'),
    release: typeof options?.release === 'string' ? options.release : null,
  });
}

// Django's subject: "Internal Server Error: /path"; without a request, what was thrown.
// An upstream's failure is named by the upstream ("GET api.example/v1 → 401"): the path
// of our own route says less about what broke.
function errorTitle(error: ErrorInfo, ctx: Context | undefined, status: number): string {
  if (error.http && (status === 502 || status === 504)) return upstreamTitle(error.http);
  if (ctx) {
    let path: string;
    try {
      path = String(ctx.path);
    } catch (err) {
      path = unreadable(err);
    }
    return `${statusText(status)}: ${path}`;
  }
  const firstLine = error.message.split('\n', 1)[0];
  return firstLine ? `${error.type}: ${firstLine}` : error.type;
}

// instanceof asks the prototype, which a thrown Proxy may refuse.
function isResponseStatus(err: unknown): err is ResponseStatus {
  try {
    return err instanceof ResponseStatus;
  } catch {
    return false;
  }
}

function isHttpStatus(status: unknown): status is number {
  return typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 599;
}
