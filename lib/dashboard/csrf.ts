import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';

// Two independent defences for every state-changing POST, as OWASP recommends
// (https://cheatsheetseries.owasp.org/cheatsheets/Cross-Site_Request_Forgery_Prevention_Cheat_Sheet.html):
// 1. Fetch metadata / Origin: a browser sends Sec-Fetch-Site and Origin on a POST; a
//    cross-site one is refused outright.
// 2. A per-session token: random, in a SameSite=Strict HttpOnly cookie, echoed in a hidden
//    form field (or the X-CSRF-Token header of a JSON call); a forged form cannot read the cookie to copy it.

export const CSRF_COOKIE = 'tripwire_csrf';
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';

/** The session's token, set as a cookie scoped to the dashboard's path when it has none yet. */
export function csrfToken(ctx: Context, basePath: string): string {
  const existing = ctx.cookies.get(CSRF_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const token = randomBytes(32).toString('base64url');
  ctx.cookies.set(CSRF_COOKIE, token, { httpOnly: true, sameSite: 'strict', path: basePath || '/', secure: ctx.secure, signed: false, overwrite: true });
  return token;
}

/** Null when the POST may proceed, else why it is refused. */
export function csrfRefusal(ctx: Context, submitted: unknown): string | null {
  return crossSiteRefusal(ctx) ?? tokenRefusal(ctx, submitted);
}

/** Null unless the browser says the request comes from another site. */
export function crossSiteRefusal(ctx: Context): string | null {
  // Fetch metadata decides when the browser sends it (every current one does); Origin is the
  // fallback for older browsers. A same-origin POST may carry `Origin: null` (privacy settings).
  const site = ctx.get('Sec-Fetch-Site');
  if (site && site !== 'same-origin') return `cross-site request refused (Sec-Fetch-Site: ${site})`;
  const origin = ctx.get('Origin');
  // Built from protocol and host: Koa 3's ctx.origin echoes the Origin header itself. Behind a
  // TLS-terminating proxy, set app.proxy = true so the protocol is the browser's.
  if (!site && origin && origin !== `${ctx.protocol}://${ctx.host}`) return 'cross-origin request refused (Origin does not match)';
  return null;
}

export function tokenRefusal(ctx: Context, submitted: unknown): string | null {
  const cookie = ctx.cookies.get(CSRF_COOKIE);
  if (!cookie || typeof submitted !== 'string') return 'missing CSRF token (reload the page and try again)';
  const a = Buffer.from(cookie);
  const b = Buffer.from(submitted);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return 'invalid CSRF token (reload the page and try again)';
  return null;
}
