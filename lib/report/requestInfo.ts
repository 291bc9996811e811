import type { Context } from 'koa';
import type { RequestInfo } from './Report';
import type { ReportOptions } from './reportOptions';
import { safeClone } from './scrub/safeClone';
import { budgetText, cloneSession, type CloneSession } from './scrub/cloneSession';
import { unreadable } from './scrub/truncate';

/**
 * What the report shows of the request, copied within the limits. Every field is
 * read on its own: a getter that throws (a malformed URL, a broken proxy setting)
 * costs that field only, and this function never throws.
 */
export function requestInfo(ctx: Context, options: ReportOptions, session: CloneSession = cloneSession(options.limits)): RequestInfo {
  const limits = options.limits;
  const text = (read: () => unknown, fallback: string): string => {
    try {
      const value = read();
      return typeof value === 'string' ? budgetText(session, value, limits.maxStringLength) : fallback;
    } catch (err) {
      return unreadable(err);
    }
  };
  const optionalText = (read: () => unknown): string | null => {
    try {
      const value = read();
      return typeof value === 'string' && value !== '' ? budgetText(session, value, limits.maxStringLength) : null;
    } catch (err) {
      return unreadable(err);
    }
  };
  const record = (read: () => unknown): Record<string, unknown> => {
    const value = clone(read, options, session);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  };

  // In the order of what is kept first when the report's budget runs short: the
  // request line, then headers and query, then the body.
  const method = text(() => ctx.method, '');
  const url = text(() => ctx.originalUrl ?? ctx.url, '');
  const path = text(() => ctx.path, '');
  // Koa applies app.proxy and app.maxIpsCount; X-Forwarded-For is never read here.
  const ip = text(() => ctx.ip, '');
  const userAgent = optionalText(() => ctx.get('user-agent'));
  const referer = optionalText(() => ctx.get('referer'));
  const requestId = optionalText(() => requestIdOf(ctx.state?.requestId));
  const headers = record(() => ctx.headers);
  const query = record(() => ctx.query);
  // @koa/router's pattern ("/users/:id"), read and never written (Koa's private field).
  const route = optionalText(() => (ctx as Context & { _matchedRoute?: unknown })._matchedRoute);
  const body = clone(() => (ctx.request as { body?: unknown } | undefined)?.body ?? null, options, session);
  return { method, url, path, query, headers, body, ip, userAgent, referer, requestId, route };
}

function clone(read: () => unknown, options: ReportOptions, session: CloneSession): unknown {
  try {
    return safeClone(read(), options.limits, session);
  } catch (err) {
    return unreadable(err);
  }
}

function requestIdOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  return typeof value === 'number' ? String(value) : null;
}
