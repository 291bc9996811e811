import { expect } from 'chai';
import Koa from 'koa';
import request from 'supertest';
import { COMMON_IGNORABLE_404_URLS, judgeBrokenLink, type BrokenLinkRuleOptions } from '../../lib/brokenLinks/brokenLinkRules';

// Each case asks a real Koa app for the verdict on a request, so the host, path and
// headers are Koa's own readings (ctx.host, ctx.originalUrl) and not re-implemented here.
function verdictFor(options: Partial<BrokenLinkRuleOptions> = {}) {
  const rules: BrokenLinkRuleOptions = { appendSlash: true, ignorableUrls: [], ignoreUserAgents: [], ...options };
  const app = new Koa();
  app.use((ctx) => { ctx.body = judgeBrokenLink(ctx, rules); });
  return async (path: string, headers: Record<string, string> = {}) => {
    const res = await request(app.callback()).get(path).set({ Host: 'testserver', ...headers }).expect(200);
    return res.body as { report: boolean; reason?: string; link?: { url: string; referer: string; internal: boolean } };
  };
}

describe('brokenLinkRules (Django BrokenLinkEmailsMiddleware cases)', () => {
  const path = '/regular_url/that/does/not/exist';

  it('reports a 404 with a referer', async () => {
    const verdict = await verdictFor()(path, { Referer: '/another/url/' });
    expect(verdict).to.deep.equal({ report: true, link: { url: path, referer: '/another/url/', internal: false } });
  });

  it('ignores a 404 without a referer', async () => {
    expect(await verdictFor()(path)).to.deep.equal({ report: false, reason: 'no-referer' });
  });

  it('ignores a path matching an ignorable pattern and reports one that does not', async () => {
    const check = verdictFor({ ignorableUrls: [/^\/regular_url\/that/, /\.php$/] });
    expect(await check(path, { Referer: '/another/url/' })).to.include({ report: false, reason: 'ignorable-url' });
    // Patterns see the path without its query string, so a query cannot dodge them.
    expect(await check('/wp-login.php?x=1', { Referer: '/x/' })).to.include({ reason: 'ignorable-url' });
    expect(await check('/index.php', { Referer: '/x/' })).to.include({ reason: 'ignorable-url' });
    expect(await check('/fine', { Referer: '/x/' })).to.include({ report: true });
  });

  it('ships the common noise list from Django\'s docs', async () => {
    const check = verdictFor({ ignorableUrls: COMMON_IGNORABLE_404_URLS });
    for (const noise of ['/favicon.ico', '/robots.txt', '/apple-touch-icon-120x120.png', '/phpmyadmin/index', '/admin.cgi']) {
      expect(await check(noise, { Referer: '/somewhere/' }), noise).to.include({ reason: 'ignorable-url' });
    }
  });

  it('ignores a user agent matching an ignore pattern, and reports an ordinary one', async () => {
    const check = verdictFor({ ignoreUserAgents: [/^Spider.*/, /^Robot$/] });
    expect(await check(path, { Referer: '/another/url/', 'User-Agent': 'Spider machine 3.4' })).to.include({ reason: 'ignored-user-agent' });
    expect(await check(path, { Referer: '/another/url/', 'User-Agent': 'Mozilla/5.0 (Macintosh)' })).to.include({ report: true });
  });

  it('ignores a referer equal to the requested path: bare, with http://host and with the other scheme', async () => {
    const check = verdictFor();
    for (const referer of [path, `http://testserver${path}`, `https://testserver${path}`]) {
      expect(await check(path, { Referer: referer }), referer).to.include({ report: false, reason: 'self-referer' });
    }
  });

  it('reports the same path as referer on another domain', async () => {
    expect(await verdictFor()(path, { Referer: `https://www.example.com${path}` })).to.include({ report: true });
  });

  it('with appendSlash on, ignores a referer equal to the path without its trailing slash; with it off, reports it', async () => {
    const withSlash = `${path}/`;
    expect(await verdictFor({ appendSlash: true })(withSlash, { Referer: path })).to.include({ reason: 'append-slash' });
    expect(await verdictFor({ appendSlash: false })(withSlash, { Referer: path })).to.include({ report: true });
  });

  it('ignores an external referer with a query string (a search engine) but reports an internal one', async () => {
    const check = verdictFor();
    expect(await check(path, { Referer: 'http://www.google.com/search?q=broken' })).to.include({ reason: 'search-engine' });
    const internal = await check(path, { Referer: 'http://testserver/some?page=2' });
    expect(internal).to.deep.equal({ report: true, link: { url: path, referer: 'http://testserver/some?page=2', internal: true } });
  });

  it('calls a referer on this host internal and one on a subdomain external', async () => {
    const check = verdictFor();
    expect((await check(path, { Referer: 'https://testserver/page' })).link?.internal).to.equal(true);
    expect((await check(path, { Referer: 'https://sub.testserver/page' })).link?.internal).to.equal(false);
  });

  it('lets the isIgnorable hook drop a link, as Django subclasses is_ignorable_request', async () => {
    const check = verdictFor({ isIgnorable: (_ctx, link) => link.referer.includes('/drafts/') });
    expect(await check(path, { Referer: '/drafts/1' })).to.include({ reason: 'hook' });
    expect(await check(path, { Referer: '/posts/1' })).to.include({ report: true });
  });
});
