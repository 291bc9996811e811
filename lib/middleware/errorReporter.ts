import type { Context, Middleware } from 'koa';
import { statusOf } from '../envelope/thrown';
import { consoleLogger } from '../core/logger';
import { buildErrorReport } from '../report/buildErrorReport';
import { ResponseStatus } from '../report/responseStatus';
import { printsRawErrors } from './koaErrorPrinter';
import type { DeliveryStats } from '../delivery/Delivery';
import { partMiddleware } from './parts';
import { rejectUseWithoutCall } from './factoryMisuse';
import { checkReporterKeys, reporterParts, type ReporterOptions } from './reporterOptions';
import { ensureRequestId } from './requestContext';
import { checkNonNegativeInteger } from '../core/options';
import type { Store } from '../ports';
import { sourceContext } from '../report/sourceContext';
import { quickFingerprint } from '../report/quickFingerprint';

export interface ErrorReporterOptions extends ReporterOptions {
  /** Statuses reported besides every status >= 500 (the seed middleware also alerted on 400, 403, 404). */
  reportStatuses?: number[];
  /**
   * Source lines kept before and after each in-app frame's line (5, as Sentry's Node SDK
   * keeps 7), read in the delivery worker, never on the request path; 0 turns it off.
   * A `delivery.enrich` of your own replaces it.
   */
  contextLines?: number;
}

export interface ErrorReporter extends Middleware {
  /** Report an error the app caught itself; returns the report id, or null if it could not be built. */
  captureException(err: unknown, ctx?: Context): string | null;
  flush(): Promise<void>;
  close(timeoutMs?: number): Promise<void>;
  /** The delivery counters (accepted, folded, stored, outboxed, replayed, dropped, alerts…), for monitoring. */
  readonly stats: DeliveryStats;
  /** The store reports go to (the one built from MONGODB_URI when none was given), or null. */
  readonly store: Store | null;
}

const TEN_MINUTES = 10 * 60_000;

/**
 * Turns every unhandled server error into one scrubbed report and hands it to the
 * delivery worker; the response is never delayed by it. It sits inside the formatter
 * so it sees the raw exception before it is shaped, and rethrows it unchanged.
 */
export function errorReporter(options: ErrorReporterOptions = {}): ErrorReporter {
  rejectUseWithoutCall('errorReporter', options, arguments[1]);
  checkReporterKeys('errorReporter', options, ['reportStatuses', 'contextLines']);
  const { reportStatuses = [], contextLines = 5, ...rest } = options;
  checkNonNegativeInteger('errorReporter', 'contextLines', contextLines);
  if (!Array.isArray(reportStatuses) || reportStatuses.some((s) => !Number.isInteger(s) || s < 100 || s > 599)) {
    throw new TypeError('errorReporter: reportStatuses must be an array of HTTP status codes');
  }
  const extraStatuses = new Set(reportStatuses);
  const { report, delivery, store } = reporterParts('errors', withSourceContext(rest, contextLines), TEN_MINUTES);
  const logger = rest.logger ?? consoleLogger;
  const isReported = (status: number) => status >= 500 || extraStatuses.has(status);
  const warnedApps = new WeakSet<object>();
  const warnAboutKoaPrinter = (ctx: Context) => {
    if (warnedApps.has(ctx.app)) return;
    warnedApps.add(ctx.app);
    if (printsRawErrors(ctx.app)) {
      logger.warn("Koa's default error listener prints errors unscrubbed to stderr; set app.silent = true (tripwire reports them scrubbed)");
    }
  };

  function captureException(err: unknown, ctx?: Context, status?: number): string | null {
    try {
      const built = buildErrorReport(err, ctx, report, status);
      delivery.accept(built);
      return built.id;
    } catch (failure) {
      // Reporting must never throw into the request it reports on.
      logger.error(`could not build an error report: ${String((failure as Error)?.message ?? failure)}`);
      return null;
    }
  }

  // The request path. An occurrence the rate limit folds is only counted: its report is
  // built later, and only if it is its group's latest when the tally goes (Delivery.offer).
  function reportOccurrence(err: unknown, ctx: Context, status: number): void {
    try {
      const group = report.fingerprint ? null : quickFingerprint(err, report.limits.maxFrames);
      if (group === null) {
        captureException(err, ctx, status);
        return;
      }
      keepPeerAddress(ctx);
      delivery.offer('error', group, () => buildErrorReport(err, ctx, report, status));
    } catch (failure) {
      logger.error(`could not report an error: ${String((failure as Error)?.message ?? failure)}`);
    }
  }

  const middleware = partMiddleware('errorReporter', {
    enter(ctx) {
      // Mounted without requestContext, the report still gets an id; the response header
      // is requestContext's to set (with its configured name), not ours.
      ensureRequestId(ctx);
    },
    fail(ctx, err) {
      const status = statusOf(err);
      if (isReported(status)) {
        warnAboutKoaPrinter(ctx);
        reportOccurrence(err, ctx, status);
      }
      return false;
    },
    leave(ctx) {
      // Django reports any response >= 500, thrown or not.
      if (isReported(ctx.status)) reportOccurrence(new ResponseStatus(ctx), ctx, ctx.status);
    },
  }) as ErrorReporter;

  middleware.captureException = (err, ctx) => captureException(err, ctx);
  middleware.flush = () => delivery.flush();
  middleware.close = (timeoutMs) => delivery.close(timeoutMs);
  Object.defineProperty(middleware, 'stats', { get: () => delivery.stats, enumerable: true });
  Object.defineProperty(middleware, 'store', { value: store, enumerable: true });
  return middleware;
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

/** Frames get their source lines in the delivery worker, unless the app enriches reports itself. */
function withSourceContext(options: ReporterOptions, contextLines: number): ReporterOptions {
  if (contextLines === 0 || options.delivery?.enrich) return options;
  const filter = options.filter;
  return { ...options, delivery: { ...options.delivery, enrich: sourceContext({ contextLines, ...(filter ? { filter } : {}) }) } };
}
