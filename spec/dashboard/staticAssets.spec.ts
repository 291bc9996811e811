import { expect } from 'chai';
import { createHash } from 'node:crypto';
import type { Context } from 'koa';
import { DASHBOARD_CSS } from '../../lib/dashboard/assets/dashboardCss';
import { DASHBOARD_JS } from '../../lib/dashboard/assets/dashboardJs';
import { ASSET_VERSION, FAVICON_SVG, serveAsset } from '../../lib/dashboard/staticAssets';
import { koaContext } from '../support/koaContext';

describe('dashboard staticAssets', () => {
  it('serves the stylesheet and the script with their types and a long cache life', () => {
    for (const [name, type, body] of [['dashboard.css', 'text/css', DASHBOARD_CSS], ['dashboard.js', 'text/javascript', DASHBOARD_JS]]) {
      const ctx = koaContext();
      serveAsset(ctx, name);
      expect(ctx.status).to.equal(200);
      expect(ctx.response.type).to.equal(type);
      expect(ctx.body).to.equal(body);
      expect(ctx.response.get('Cache-Control')).to.equal('private, max-age=31536000, immutable');
    }
  });

  it('answers 404 for any other name, prototype keys included', () => {
    for (const name of ['nope.js', '__proto__', 'constructor', '../dashboard.css']) {
      const ctx = koaContext();
      serveAsset(ctx, name);
      expect(ctx.status, name).to.equal(404);
      expect(ctx.body).to.equal('Not Found');
      expect(String(ctx.response.get('Cache-Control') ?? '')).to.not.include('immutable');
    }
  });

  it('versions the URLs by a hash of the three files', () => {
    expect(ASSET_VERSION).to.equal(createHash('sha256').update(DASHBOARD_CSS).update(DASHBOARD_JS).update(FAVICON_SVG).digest('hex').slice(0, 12));
  });

  it('ships no inline handler or eval the strict CSP would refuse', () => {
    expect(DASHBOARD_JS).to.not.match(/\beval\(|new Function\(/);
    expect(DASHBOARD_CSS.length).to.be.greaterThan(100);
  });
});
