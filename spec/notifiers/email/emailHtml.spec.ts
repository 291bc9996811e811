import { expect } from 'chai';
import { escapeHtml, renderHtml } from '../../../lib/notifiers/email/emailHtml';
import { sampleBrokenLinkReport, sampleErrorReport } from '../../support/reports';

describe('renderHtml', () => {
  it('escapes the five HTML characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).to.equal('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('renders the error report as a document', () => {
    const html = renderHtml(sampleErrorReport());
    expect(html).to.match(/^<!DOCTYPE html>/);
    expect(html).to.include('<h1>TypeError: Cannot read properties of undefined (reading &#39;id&#39;)</h1>');
    expect(html).to.include('<tr><th>Client IP</th><td>203.0.113.7</td></tr>');
    expect(html).to.include('<tr><th>Request ID</th><td>req-7f3a</td></tr>');
    expect(html).to.include('<pre>TypeError: Cannot read properties of undefined (reading &#39;id&#39;)\n    at loadOrder');
    expect(html).to.include('Europe/Paris');
  });

  it('renders the broken-link lines', () => {
    const html = renderHtml(sampleBrokenLinkReport());
    expect(html).to.include('<tr><th>Referrer</th><td>https://shop.example.com/home</td></tr>');
    expect(html).to.include('<tr><th>IP address</th><td>198.51.100.23</td></tr>');
  });

  it('escapes every value a client could have planted', () => {
    const script = '<script>alert("x")</script>';
    const base = sampleErrorReport();
    const html = renderHtml(sampleErrorReport({
      title: script,
      error: { ...base.error!, message: script, stack: script, extra: { [script]: script } },
      request: { ...base.request!, url: script, userAgent: script, headers: { [script]: script }, query: { q: script }, body: { note: script } },
      user: { id: script, username: script },
    }));
    expect(html).not.to.include('<script');
    expect(html).to.include('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  });
});
