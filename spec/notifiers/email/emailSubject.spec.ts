import { expect } from 'chai';
import { emailSubject } from '../../../lib/notifiers/email/emailSubject';
import { sampleBrokenLinkReport, sampleErrorReport } from '../../support/reports';

describe('emailSubject', () => {
  const options = { prefix: '[koa-tripwire] ', internalIps: ['127.0.0.1', '::1'] };
  const base = sampleErrorReport();

  it("follows Django's error subjects", () => {
    expect(emailSubject(base, options)).to.equal('[koa-tripwire] ERROR (EXTERNAL IP): Internal Server Error: /orders/42');
    expect(emailSubject(sampleErrorReport({ request: { ...base.request!, ip: '::1' } }), options))
      .to.equal('[koa-tripwire] ERROR (internal IP): Internal Server Error: /orders/42');
    expect(emailSubject(sampleErrorReport({ status: 503 }), options)).to.equal('[koa-tripwire] ERROR (EXTERNAL IP): Service Unavailable: /orders/42');
    expect(emailSubject(sampleErrorReport({ status: 422 }), options)).to.equal('[koa-tripwire] WARNING (EXTERNAL IP): Unprocessable Entity: /orders/42');
    expect(emailSubject(sampleErrorReport({ request: null }), options)).to.equal(`[koa-tripwire] ERROR: ${base.title}`);
  });

  it('uses the broken-link title', () => {
    expect(emailSubject(sampleBrokenLinkReport(), options)).to.equal('[koa-tripwire] Broken INTERNAL link on shop.example.com');
    expect(emailSubject(sampleBrokenLinkReport({ title: 'Broken link on shop.example.com' }), options)).to.equal('[koa-tripwire] Broken link on shop.example.com');
  });

  it('appends the digest count', () => {
    const digest = sampleErrorReport({ alert: { reason: 'digest', suppressed: 8, windowMs: 600_000, count: 20 } });
    expect(emailSubject(digest, options)).to.equal('[koa-tripwire] ERROR (EXTERNAL IP): Internal Server Error: /orders/42 (×8 more in the last 10 min)');
  });

  it('strips CR/LF and keeps ~200 characters, digest suffix included', () => {
    const path = `/a\r\nBcc: victim@example.com\n${'x'.repeat(400)}`;
    const subject = emailSubject(sampleErrorReport({
      request: { ...base.request!, path },
      alert: { reason: 'digest', suppressed: 2, windowMs: 3_600_000, count: 5 },
    }), options);
    expect(subject).not.to.match(/[\r\n]/);
    expect(subject).to.include('/a Bcc: victim@example.com x');
    expect(subject.length).to.be.at.most(200);
    expect(subject.endsWith('… (×2 more in the last 1 h)')).to.equal(true);
  });
});
