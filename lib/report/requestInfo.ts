import type { Context } from 'koa';
import type { RequestInfo } from './Report';
import type { ReportOptions } from './options';
import { safeClone, truncate, unreadable } from './safeClone';

/**
 * What the report shows of the request, copied within the limits. Every field is
 * read on its own: a getter that throws (a malformed URL, a broken proxy setting)
 * costs that field only, and this function never throws.
 */
export function requestInfo(ctx: Context, options: ReportOptions): RequestInfo {
  const limits = options.limits;
  const text = (read: () => unknown, fallback: string): string => {
    try {
      const value = read();
      return typeof value === 'string' ? truncate(value, limits.maxStringLength) : fallback;
    } catch (err) {
      return unreadable(err);
    }
  };
  const optionalText = (read: () => unknown): string | null => {
    try {
      const value = read();
      return typeof value === 'string' && value !== '' ? truncate(value, limits.maxStringLength) : null;
    } catch (err) {
      return unreadable(err);
    }
  };
  const record = (read: () => unknown): Record<string, unknown> => {
    const value = clone(read, options);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  };

  return {
    method: text(() => ctx.method, ''),
    url: text(() => ctx.originalUrl ?? ctx.url, ''),
    path: text(() => ctx.path, ''),
    query: record(() => ctx.query),
    headers: record(() => ctx.headers),
    body: clone(() => (ctx.request as { body?: unknown } | undefined)?.body ?? null, options),
    // Koa applies app.proxy and app.maxIpsCount; X-Forwarded-For is never read here.
    ip: text(() => ctx.ip, ''),
    userAgent: optionalText(() => ctx.get('user-agent')),
    referer: optionalText(() => ctx.get('referer')),
    requestId: optionalText(() => requestIdOf(ctx.state?.requestId)),
  };
}

function clone(read: () => unknown, options: ReportOptions): unknown {
  try {
    return safeClone(read(), options.limits);
  } catch (err) {
    return unreadable(err);
  }
}

function requestIdOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  return typeof value === 'number' ? String(value) : null;
}
