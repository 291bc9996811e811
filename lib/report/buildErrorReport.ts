import { randomUUID } from 'node:crypto';
import type { Context } from 'koa';
import type { ErrorInfo, Report, ReportUser } from './Report';
import { ANONYMOUS, type ReportOptions } from './options';
import { errorFingerprint, overrideFingerprint } from './fingerprint';
import { statusText } from '../envelope/envelope';
import { statusOf } from '../envelope/thrown';
import { errorFingerprintOverride, errorInfo } from './errorInfo';
import { requestInfo } from './requestInfo';
import { truncate, unreadable } from './safeClone';
import { reportUser } from './reportUser';
import { serverHostname, serverTimeZone } from './serverTimeZone';
import { applyFingerprintOption, scrubReport } from './scrubReport';

// Django's AdminEmailHandler cuts subjects to 989 characters to stay within mail header limits.
const MAX_TITLE_LENGTH = 989;

/**
 * Builds the scrubbed report of an error, during the request (the context is
 * gone afterwards). Accepts anything that can be thrown and never throws itself.
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
  const error = errorInfo(err, options.limits);
  const finalStatus = isHttpStatus(status) ? status : statusOf(err);
  const report: Report = {
    id: randomUUID(),
    kind: 'error',
    title: truncate(errorTitle(error, ctx, finalStatus), MAX_TITLE_LENGTH),
    timestamp: new Date().toISOString(),
    timezone: serverTimeZone(),
    status: finalStatus,
    fingerprint: '',
    error,
    brokenLink: null,
    request: ctx ? requestInfo(ctx, options) : null,
    user: ctx ? reportUser(ctx, options) : { ...ANONYMOUS },
    environment: options.environment,
    release: options.release,
    host: serverHostname(),
    pid: process.pid,
  };

  const scrubbed = scrubReport(report, ctx, options);
  // Computed from the scrubbed report, so secrets in messages cannot split groups.
  const override = errorFingerprintOverride(err);
  scrubbed.fingerprint = override ? overrideFingerprint(override) : errorFingerprint(scrubbed.error ?? error);
  return applyFingerprintOption(scrubbed, options);
}

function minimalReport(status: number | undefined, options: ReportOptions): Report {
  const finalStatus = isHttpStatus(status) ? status : 500;
  const error: ErrorInfo = { type: 'Error', message: '[unreportable error]', stack: null, frames: [], cause: [], extra: {} };
  return {
    id: randomUUID(),
    kind: 'error',
    title: statusText(finalStatus),
    timestamp: new Date().toISOString(),
    timezone: 'UTC',
    status: finalStatus,
    fingerprint: errorFingerprint(error),
    error,
    brokenLink: null,
    request: null,
    user: { ...ANONYMOUS },
    environment: String(options?.environment ?? 'unknown'),
    release: typeof options?.release === 'string' ? options.release : null,
    host: 'unknown',
    pid: process.pid,
  };
}

// Django's subject: "Internal Server Error: /path"; without a request, what was thrown.
function errorTitle(error: ErrorInfo, ctx: Context | undefined, status: number): string {
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

function isHttpStatus(status: unknown): status is number {
  return typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 599;
}
