import type { Context } from 'koa';

// The dashboard sets its own policy rather than trusting the app to: it shows text
// written by attackers (messages, paths, user agents), so even an escaping bug must not
// run script. No inline script or style anywhere; the one script and the one stylesheet
// are files served from the mount. https://developer.mozilla.org/docs/Web/HTTP/CSP
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export function setSecurityHeaders(ctx: Context): void {
  ctx.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('X-Frame-Options', 'DENY');
  // A click on a link in a report (a referer, a URL) must not tell that site the dashboard's
  // address. Not 'no-referrer': with it Chromium sends `Origin: null` on the dashboard's own forms.
  ctx.set('Referrer-Policy', 'same-origin');
  ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
  ctx.set('Cross-Origin-Resource-Policy', 'same-origin');
}

/** Pages hold scrubbed but private data: never kept by a shared cache or the back/forward cache of a shared machine. */
export function setNoStore(ctx: Context): void {
  ctx.set('Cache-Control', 'no-store');
}
