import type { Context } from 'koa';
import type { BrokenLinkInfo } from '../report/Report';

export interface BrokenLinkRuleOptions {
  /** Django's APPEND_SLASH: a referer equal to the URL without its trailing slash is an internal redirect. */
  appendSlash: boolean;
  /** Django's IGNORABLE_404_URLS, tested against the requested path. */
  ignorableUrls: RegExp[];
  /** Beyond Django: crawlers and monitors that follow stale links. */
  ignoreUserAgents: RegExp[];
  /** Django users subclass `is_ignorable_request`; here it is a hook. */
  isIgnorable?: (ctx: Context, link: BrokenLinkInfo) => boolean;
}

/** The noise Django's docs suggest ignoring; `ignorableUrls: []` reports everything, as Django does by default. */
export const COMMON_IGNORABLE_404_URLS: RegExp[] = [
  /\.(php|cgi|asp|aspx|jsp)$/i,
  /^\/phpmyadmin\//i,
  /^\/wp-(admin|login|content|includes)/i,
  /^\/apple-touch-icon.*\.png$/,
  /^\/favicon\.ico$/,
  /^\/robots\.txt$/,
];

export type Verdict =
  | { report: true; link: BrokenLinkInfo }
  | { report: false; reason: 'no-referer' | 'append-slash' | 'search-engine' | 'self-referer' | 'ignorable-url' | 'ignored-user-agent' | 'hook' };

/**
 * Django's BrokenLinkEmailsMiddleware.is_ignorable_request, rule for rule and in its
 * order, for a response whose final status is 404. "This host" is ctx.host, so the
 * app's proxy settings decide it; different subdomains are different hosts.
 */
export function judgeBrokenLink(ctx: Context, options: BrokenLinkRuleOptions): Verdict {
  const referer = ctx.get('Referer');
  if (!referer) return { report: false, reason: 'no-referer' };

  const uri = ctx.originalUrl;
  const host = ctx.host;
  const internal = isInternal(referer, host);

  if (options.appendSlash && uri.endsWith('/') && referer === uri.slice(0, -1)) return { report: false, reason: 'append-slash' };
  if (!internal && referer.includes('?')) return { report: false, reason: 'search-engine' };

  const parsed = parseReferer(referer);
  if (parsed && (parsed.host === '' || parsed.host === host) && parsed.path === ctx.path) {
    return { report: false, reason: 'self-referer' };
  }
  if (options.ignorableUrls.some((pattern) => test(pattern, ctx.path))) return { report: false, reason: 'ignorable-url' };

  const userAgent = ctx.get('User-Agent');
  if (options.ignoreUserAgents.some((pattern) => test(pattern, userAgent))) return { report: false, reason: 'ignored-user-agent' };

  const link: BrokenLinkInfo = { url: uri, referer, internal };
  if (options.isIgnorable?.(ctx, link)) return { report: false, reason: 'hook' };
  return { report: true, link };
}

// Django: re.match("^https?://%s/" % re.escape(domain), referer).
function isInternal(referer: string, host: string): boolean {
  const lower = referer.toLowerCase();
  const target = host.toLowerCase();
  return lower.startsWith(`http://${target}/`) || lower.startsWith(`https://${target}/`);
}

// Python's urlsplit: a bare path has an empty netloc; anything unparseable is nobody's host.
function parseReferer(referer: string): { host: string; path: string } | null {
  if (referer.startsWith('/') && !referer.startsWith('//')) {
    return { host: '', path: referer.split(/[?#]/)[0] };
  }
  try {
    const url = new URL(referer);
    return { host: url.host, path: url.pathname };
  } catch {
    return null;
  }
}

function test(pattern: RegExp, value: string): boolean {
  pattern.lastIndex = 0;
  return pattern.test(value);
}
