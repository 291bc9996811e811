import type { Context } from 'koa';
import type { Report } from '../Report';
import type { ReportOptions } from '../reportOptions';
import { SafeReportFilter, UNFILTERABLE } from './SafeReportFilter';
import { overrideFingerprint, asFingerprintOverride } from '../fingerprint';

/** The filter for this request: `ctx.state.reportFilter` when set, else the configured one. */
export function filterFor(ctx: Context | undefined, options: ReportOptions): Pick<SafeReportFilter, 'cleanse'> {
  try {
    const own: unknown = ctx?.state?.reportFilter;
    if (own && typeof (own as SafeReportFilter).cleanse === 'function') return own as SafeReportFilter;
  } catch {
    // An unreadable ctx.state: the configured filter still applies.
  }
  return options.filter;
}

/**
 * Makes a freshly built report safe to leave the process: runs the filter, then
 * bounds the body. The body is cut after filtering because the filter needs the
 * structure (keys) to hide values; a preview string has none left.
 */
export function scrubReport(report: Report, ctx: Context | undefined, options: ReportOptions): Report {
  let scrubbed: Report;
  try {
    scrubbed = filterFor(ctx, options).cleanse(report, ctx);
  } catch {
    // A subclass broke; the base rules are the documented minimum, so fall back to them.
    scrubbed = fallbackFilter.cleanse(report, ctx);
  }
  const request = scrubbed.request;
  if (!request) return scrubbed;
  let body: unknown;
  try {
    body = limitBody(request.body, options.limits.maxBodyBytes);
  } catch {
    body = UNFILTERABLE;
  }
  // Nearly every body fits: the filter's copy is then the report as is.
  if (body === request.body && scrubbed !== report) return scrubbed;
  return { ...scrubbed, request: { ...request, body } };
}

/** Replaces the fingerprint when the `fingerprint` option returns one; a throwing hook changes nothing. */
export function applyFingerprintOption(report: Report, options: ReportOptions): Report {
  if (!options.fingerprint) return report;
  try {
    const override = asFingerprintOverride(options.fingerprint(report));
    return override ? { ...report, fingerprint: overrideFingerprint(override) } : report;
  } catch {
    return report;
  }
}

/** The body as is when its JSON fits in `maxBytes`, else a preview ending "…[truncated N bytes]". */
export function limitBody(body: unknown, maxBytes: number): unknown {
  const json = JSON.stringify(body);
  if (json === undefined) return null;
  // UTF-8 takes at most 3 bytes per UTF-16 unit: most bodies are settled without counting.
  if (json.length * 3 <= maxBytes || Buffer.byteLength(json) <= maxBytes) return body;
  const bytes = Buffer.from(json, 'utf8');
  // A cut inside a multi-byte character decodes to U+FFFD; drop it rather than show it.
  const preview = bytes.subarray(0, maxBytes).toString('utf8').replace(/\uFFFD$/, '');
  return `${preview}…[truncated ${bytes.length - Buffer.byteLength(preview)} bytes]`;
}

const fallbackFilter = new SafeReportFilter();
