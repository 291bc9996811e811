import { expect } from 'chai';
import type { Context } from 'koa';
import { CONTENT_SECURITY_POLICY, setNoStore, setSecurityHeaders } from '../../lib/dashboard/securityHeaders';
import { koaContext } from '../support/koaContext';

describe('dashboard securityHeaders', () => {
  it('a policy that runs no inline script or style and allows no framing', () => {
    const directives = CONTENT_SECURITY_POLICY.split('; ');
    expect(directives).to.include("default-src 'none'");
    expect(directives).to.include("script-src 'self'");
    expect(directives).to.include("style-src 'self'");
    expect(directives).to.include("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).to.not.include('unsafe-inline');
  });

  it('sets the policy and the headers around it', () => {
    const ctx = koaContext();
    setSecurityHeaders(ctx);
    expect(ctx.response.get('Content-Security-Policy')).to.equal(CONTENT_SECURITY_POLICY);
    expect(ctx.response.get('X-Content-Type-Options')).to.equal('nosniff');
    expect(ctx.response.get('X-Frame-Options')).to.equal('DENY');
    expect(ctx.response.get('Referrer-Policy')).to.equal('same-origin');
    expect(ctx.response.get('Cross-Origin-Opener-Policy')).to.equal('same-origin');
    expect(ctx.response.get('Cache-Control'), 'no-store only where asked').to.not.equal('no-store');
    setNoStore(ctx);
    expect(ctx.response.get('Cache-Control')).to.equal('no-store');
  });
});
