import type { Context } from 'koa';
import type { BrokenLinkInfo, Report } from '../report/Report';
import type { ReportOptions } from '../report/reportOptions';
import { reportUser } from '../report/reportUser';
import { baseReport } from '../report/baseReport';
import { brokenLinkFingerprint } from '../report/fingerprint';
import { requestInfo } from '../report/requestInfo';
import { cloneSession } from '../report/scrub/cloneSession';
import { truncate, unreadable } from '../report/scrub/truncate';
import { fitReport } from '../report/scrub/reportSize';
import { applyFingerprintOption, filterFor, scrubReport } from '../report/scrub/scrubReport';

/**
 * Builds the scrubbed report of a 404 reached through a link, like Django's
 * BrokenLinkEmailsMiddleware. Never throws.
 */
export function buildBrokenLinkReport(ctx: Context, link: BrokenLinkInfo, options: ReportOptions): Report {
  const max = options.limits.maxStringLength;
  const brokenLink: BrokenLinkInfo = {
    url: truncate(String(link?.url ?? ''), max),
    referer: truncate(String(link?.referer ?? ''), max),
    internal: link?.internal === true,
  };
  let host: string;
  try {
    host = truncate(String(ctx.host), max);
  } catch (err) {
    host = unreadable(err);
  }
  const session = cloneSession(options.limits, filterFor(ctx, options));
  const report: Report = baseReport({
    kind: 'broken-link',
    title: `Broken ${brokenLink.internal ? 'INTERNAL ' : ''}link on ${host}`,
    status: 404,
    brokenLink,
    request: requestInfo(ctx, options, session),
    user: reportUser(ctx, options),
    environment: options.environment,
    release: options.release,
  });

  const scrubbed = fitReport(scrubReport(report, ctx, options), session);
  // From the scrubbed link, so tokens in query strings do not make one group per token.
  const scrubbedLink = scrubbed.brokenLink ?? brokenLink;
  scrubbed.fingerprint = brokenLinkFingerprint(scrubbedLink.url, scrubbedLink.referer);
  return applyFingerprintOption(scrubbed, options);
}

/** Django's broken-link message body: referrer, requested URL, user agent, IP address; `<none>` when missing. */
export function brokenLinkText(report: Report): string {
  const line = (value: string | null | undefined) =>
    // Header values end up as lines of an email: keep one value on one line.
    value ? value.replace(/\r/g, '\\r').replace(/\n/g, '\\n') : '<none>';
  return (
    `Referrer: ${line(report.brokenLink?.referer)}\n` +
    `Requested URL: ${line(report.brokenLink?.url)}\n` +
    `User agent: ${line(report.request?.userAgent)}\n` +
    `IP address: ${line(report.request?.ip)}\n`
  );
}
