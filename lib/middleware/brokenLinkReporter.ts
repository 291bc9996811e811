import type { Context, Middleware } from 'koa';
import { statusOf } from '../envelope/thrown';
import { consoleLogger } from '../core/logger';
import { buildBrokenLinkReport } from '../report/buildBrokenLinkReport';
import { COMMON_IGNORABLE_404_URLS, judgeBrokenLink, type BrokenLinkRuleOptions } from './brokenLinkRules';
import type { DeliveryStats } from '../delivery/Delivery';
import type { Store } from '../ports';
import { partMiddleware } from './parts';
import { rejectUseWithoutCall } from './factoryMisuse';
import { checkReporterKeys, reporterParts, type ReporterOptions } from './reporterOptions';

export interface BrokenLinkReporterOptions extends ReporterOptions, Partial<BrokenLinkRuleOptions> {}

export interface BrokenLinkReporter extends Middleware {
  flush(): Promise<void>;
  close(timeoutMs?: number): Promise<void>;
  /** The delivery counters (accepted, folded, stored, outboxed, replayed, dropped, alerts…), for monitoring. */
  readonly stats: DeliveryStats;
  /** The store broken links go to (the one built from MONGODB_URI when none was given), or null. */
  readonly store: Store | null;
}

const ONE_DAY = 24 * 60 * 60_000;

const ruleDefaults: BrokenLinkRuleOptions = {
  appendSlash: true,
  ignorableUrls: COMMON_IGNORABLE_404_URLS,
  ignoreUserAgents: [],
};

/**
 * Django's BrokenLinkEmailsMiddleware for Koa: a 404 reached through a Referer is a
 * broken link, reported once per (URL, referer) per window and counted after that.
 * It must see the final 404, so it sits inside the formatter and the error reporter
 * and outside anything that turns a 404 into something else (SPA or locale fallbacks).
 */
export function brokenLinkReporter(options: BrokenLinkReporterOptions = {}): BrokenLinkReporter {
  rejectUseWithoutCall('brokenLinkReporter', options, arguments[1]);
  checkReporterKeys('brokenLinkReporter', options, ['appendSlash', 'ignorableUrls', 'ignoreUserAgents', 'isIgnorable']);
  const { appendSlash, ignorableUrls, ignoreUserAgents, isIgnorable, ...rest } = options;
  const rules: BrokenLinkRuleOptions = {
    appendSlash: appendSlash ?? ruleDefaults.appendSlash,
    ignorableUrls: ignorableUrls ?? ruleDefaults.ignorableUrls,
    ignoreUserAgents: ignoreUserAgents ?? ruleDefaults.ignoreUserAgents,
    isIgnorable,
  };
  for (const key of ['ignorableUrls', 'ignoreUserAgents'] as const) {
    if (!Array.isArray(rules[key]) || rules[key].some((p) => !(p instanceof RegExp))) {
      throw new TypeError(`brokenLinkReporter: ${key} must be an array of RegExps`);
    }
  }
  if (isIgnorable !== undefined && typeof isIgnorable !== 'function') {
    throw new TypeError('brokenLinkReporter: isIgnorable must be a function');
  }
  const { report, delivery, store } = reporterParts('broken-links', rest, ONE_DAY);
  const logger = rest.logger ?? consoleLogger;

  function check(ctx: Context): void {
    try {
      const verdict = judgeBrokenLink(ctx, rules);
      if (verdict.report) delivery.accept(buildBrokenLinkReport(ctx, verdict.link, report));
    } catch (failure) {
      logger.error(`could not build a broken-link report: ${String((failure as Error)?.message ?? failure)}`);
    }
  }

  const middleware = partMiddleware('brokenLinkReporter', {
    fail(ctx, err) {
      if (statusOf(err) === 404) check(ctx);
      return false;
    },
    leave(ctx) {
      if (ctx.status === 404) check(ctx);
    },
  }) as BrokenLinkReporter;

  middleware.flush = () => delivery.flush();
  middleware.close = (timeoutMs) => delivery.close(timeoutMs);
  Object.defineProperty(middleware, 'stats', { get: () => delivery.stats, enumerable: true });
  Object.defineProperty(middleware, 'store', { value: store, enumerable: true });
  return middleware;
}
