import type { Context, Middleware } from 'koa';
import { statusOf } from '../envelope/thrown';
import { messageOf } from '../core/errors';
import { buildErrorReport } from '../report/buildErrorReport';
import { ResponseStatus } from '../report/responseStatus';
import { sourceContext } from '../report/sourceContext';
import { quickFingerprint } from '../report/quickFingerprint';
import { printsRawErrors } from '../envelope/koaErrorPrinter';
import { rejectUseWithoutCall } from '../core/factoryMisuse';
import { watchingMiddleware } from './outcomeWatch';
import { ensureRequestId } from './requestContext';
import { type OptionsOf, checkNonNegativeInteger, declaredOptions, withDefaults } from '../core/options';
import { reporterDefaults, reporterParts, withReporterSurface, type ReporterSurface } from './reporterOptions';

const errorReporterDefaults = {
  ...reporterDefaults,
  /** Statuses reported besides every status >= 500 (the seed middleware also alerted on 400, 403, 404). */
  reportStatuses: [] as number[],
  /**
   * Source lines kept before and after each in-app frame's line (5, as Sentry's Node SDK
   * keeps 7), read in the delivery worker, never on the request path; 0 turns it off.
   * A `delivery.enrich` of your own given to the client replaces it.
   */
  contextLines: 5,
};

export type ErrorReporterOptions = OptionsOf<typeof errorReporterDefaults>;

export interface ErrorReporter extends Middleware, ReporterSurface {
  /** Report an error the app caught itself; returns the report id, or null if it could not be built. */
  captureException(err: unknown, ctx?: Context): string | null;
  /** The release reports carry (the `release` option, TRIPWIRE_RELEASE or the git sha), or null. */
  readonly release: string | null;
}

/**
 * Turns every unhandled server error into one scrubbed report and hands it to the
 * client; the response is never delayed by it. It sits inside the formatter so it sees
 * the raw exception before it is shaped, and rethrows it unchanged. On the request path
 * it only tells the error's group (`quickFingerprint`) and offers the occurrence: the
 * report is built and scrubbed by the client's worker, and an occurrence past the rate
 * limit is a counter.
 */
export function errorReporter(options: ErrorReporterOptions = {}): ErrorReporter {
  rejectUseWithoutCall('errorReporter', options, arguments[1]);
  const settings = withDefaults(errorReporterDefaults, declaredOptions('errorReporter', errorReporterDefaults, options));
  const { reportStatuses, contextLines, ...rest } = settings;
  checkNonNegativeInteger('errorReporter', 'contextLines', contextLines);
  if (!Array.isArray(reportStatuses) || reportStatuses.some((s) => !Number.isInteger(s) || s < 100 || s > 599)) {
    throw new TypeError('errorReporter: reportStatuses must be an array of HTTP status codes');
  }
  const extraStatuses = new Set(reportStatuses);
  const parts = reporterParts('errorReporter', 'error', rest);
  const { client, report } = parts;
  // Frames are mapped through source maps even when no source lines are wanted.
  client.enrichReports('error', sourceContext({ contextLines, filter: report.filter }));
  const { logger } = client;
  const isReported = (status: number) => status >= 500 || extraStatuses.has(status);
  const warnedApps = new WeakSet<object>();
  const warnAboutKoaPrinter = (ctx: Context) => {
    if (warnedApps.has(ctx.app)) return;
    warnedApps.add(ctx.app);
    if (printsRawErrors(ctx.app)) {
      logger.warn("Koa's default error listener prints errors unscrubbed to stderr; set app.silent = true (tripwire reports them scrubbed)");
    }
  };

  function captureException(err: unknown, ctx?: Context): string | null {
    try {
      if (ctx) ensureRequestId(ctx);
      const built = buildErrorReport(err, ctx, report);
      client.accept(built);
      return built.id;
    } catch (failure) {
      // Reporting must never throw into the request it reports on.
      logger.error(`could not build an error report: ${messageOf(failure)}`);
      return null;
    }
  }

  // The request path: no report is built here. An error whose group cannot be told
  // without its report (a custom `fingerprint`, no in-app frame) is queued unbuilt too.
  function reportOccurrence(err: unknown, ctx: Context, status: number): void {
    try {
      // Mounted without requestContext, the report still gets an id; the response header
      // is requestContext's to set (with its configured name), not ours.
      ensureRequestId(ctx);
      const group = report.fingerprint ? null : quickFingerprint(err, report.limits.maxFrames);
      keepPeerAddress(ctx);
      client.offer('error', group, () => buildErrorReport(err, ctx, report, status));
    } catch (failure) {
      logger.error(`could not report an error: ${messageOf(failure)}`);
    }
  }

  const middleware = watchingMiddleware<ErrorReporter>('errorReporter', {
    thrown(err, ctx) {
      const status = statusOf(err, ctx);
      if (!isReported(status)) return;
      warnAboutKoaPrinter(ctx);
      reportOccurrence(err, ctx, status);
    },
    // Django reports any response >= 500, thrown or not.
    answered(ctx) {
      if (isReported(ctx.status)) reportOccurrence(new ResponseStatus(ctx), ctx, ctx.status);
    },
  });

  middleware.captureException = captureException;
  Object.defineProperty(middleware, 'release', { value: report.release, enumerable: true });
  return withReporterSurface(middleware, parts);
}

/**
 * A report built after the response reads the client's address from the socket, which
 * may be closed by then; Koa remembers `ctx.ip` once read, so it is read now.
 */
function keepPeerAddress(ctx: Context): void {
  try {
    void ctx.ip;
  } catch {
    // The report shows the address as unreadable, as it would have anyway.
  }
}
