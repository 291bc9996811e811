// The stylesheet and the script, served from the mount with a long cache life: their
// URLs carry a content hash, so a new version is a new URL. No build step, no CDN.
import { createHash } from 'node:crypto';
import type { Context } from 'koa';
import { DASHBOARD_CSS } from './assets/dashboardCss';
import { DASHBOARD_JS } from './assets/dashboardJs';

// The tab icon, so browsers stop asking the app for /favicon.ico on every page (a 404 there).
export const FAVICON_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#24292f"/><path d="M2 11h3l2-6 2 8 2-4h3" fill="none" stroke="#f85149" stroke-width="1.6"/></svg>';

const ASSETS: Record<string, { type: string; body: string }> = {
  'favicon.svg': { type: 'image/svg+xml', body: FAVICON_SVG },
  'dashboard.css': { type: 'text/css; charset=utf-8', body: DASHBOARD_CSS },
  'dashboard.js': { type: 'text/javascript; charset=utf-8', body: DASHBOARD_JS },
};

export const ASSET_VERSION = createHash('sha256').update(DASHBOARD_CSS).update(DASHBOARD_JS).update(FAVICON_SVG).digest('hex').slice(0, 12);

export function serveAsset(ctx: Context, name: string): void {
  const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
  if (!asset) {
    ctx.status = 404;
    ctx.type = 'text/plain';
    ctx.body = 'Not Found';
    return;
  }
  ctx.set('Cache-Control', 'private, max-age=31536000, immutable');
  ctx.type = asset.type;
  ctx.body = asset.body;
}
