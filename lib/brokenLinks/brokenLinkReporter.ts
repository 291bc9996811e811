import type { Context, Middleware } from 'koa';
import { declaredOptions, withDefaults, type OptionsOf } from '../core/options';
import { statusOf } from '../envelope/thrown';
import { buildBrokenLinkReport } from './buildBrokenLinkReport';
import { brokenLinkKey } from './brokenLinkKey';
import { COMMON_IGNORABLE_404_URLS, judgeBrokenLink, type BrokenLinkRuleOptions } from './brokenLinkRules';
import { messageOf } from '../core/errors';
import { rejectUseWithoutCall } from '../core/factoryMisuse';
import { watchingMiddleware } from '../middleware/outcomeWatch';
import { reporterDefaults, reporterParts, withReporterSurface, type ReporterSurface } from '../middleware/reporterOptions';

const brokenLinkReporterDefaults = {
  ...reporterDefaults,
  /** Django's APPEND_SLASH: a referer equal to the URL without its trailing slash is an internal redirect. */
  appendSlash: true,
  /** Django's IGNORABLE_404_URLS, tested against the requested path. */
  ignorableUrls: COMMON_IGNORABLE_404_URLS,
  /** Beyond Django: crawlers and monitors that follow stale links. */
  ignoreUserAgents: [] as RegExp[],
  /** Django users subclass `is_ignorable_request`; here it is a hook. */
  isIgnorable: undefined as BrokenLinkRuleOptions['isIgnorable'],
};

export type BrokenLinkReporterOptions = OptionsOf<typeof brokenLinkReporterDefaults>;

export type BrokenLinkReporter = Middleware & ReporterSurface;

/**
 * Django's BrokenLinkEmailsMiddleware for Koa: a 404 reached through a Referer is a
 * broken link, reported once per (URL, referer) per window and counted after that.
 * It must see the final 404, so it sits inside the formatter and the error reporter
 * and outside anything that turns a 404 into something else (SPA or locale fallbacks).
 * On the request path it only judges the link and offers it: the report is built and
 * scrubbed by the client's worker, and an occurrence past the rate limit is a counter.
 */
export function brokenLinkReporter(options: BrokenLinkReporterOptions = {}): BrokenLinkReporter {
  rejectUseWithoutCall('brokenLinkReporter', options, arguments[1]);
  const settings = withDefaults(brokenLinkReporterDefaults, declaredOptions('brokenLinkReporter', brokenLinkReporterDefaults, options));
  const { appendSlash, ignorableUrls, ignoreUserAgents, isIgnorable, ...rest } = settings;
  for (const [key, value] of Object.entries({ ignorableUrls, ignoreUserAgents })) {
    if (!Array.isArray(value) || value.some((p) => !(p instanceof RegExp))) throw new TypeError(`brokenLinkReporter: ${key} must be an array of RegExps`);
  }
  if (isIgnorable !== undefined && typeof isIgnorable !== 'function') throw new TypeError('brokenLinkReporter: isIgnorable must be a function');
  const rules: BrokenLinkRuleOptions = { appendSlash, ignorableUrls: [...ignorableUrls], ignoreUserAgents: [...ignoreUserAgents], isIgnorable };
  const parts = reporterParts('brokenLinkReporter', 'broken-link', rest);
  const { client, report } = parts;
  const maxLength = report.limits.maxStringLength;

  function check(ctx: Context): void {
    try {
      const verdict = judgeBrokenLink(ctx, rules);
      if (!verdict.report) return;
      const { link } = verdict;
      client.offer('broken-link', brokenLinkKey(link, maxLength), () => buildBrokenLinkReport(ctx, link, report));
    } catch (failure) {
      // Reporting must never throw into the request it reports on.
      client.logger.error(`could not report a broken link: ${messageOf(failure)}`);
    }
  }

  const middleware = watchingMiddleware<BrokenLinkReporter>('brokenLinkReporter', {
    thrown(err, ctx) {
      if (statusOf(err) === 404) check(ctx);
    },
    answered(ctx) {
      if (ctx.status === 404) check(ctx);
    },
  });

  return withReporterSurface(middleware, parts);
}
