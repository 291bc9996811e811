import { expect } from 'chai';
import { upstreamLine, upstreamPanel } from '../../../lib/dashboard/pages/upstream';

describe('dashboard upstream', () => {
  it('shows method, URL, status with its text, timing when known and both sides\' headers', () => {
    const html = String(upstreamPanel({ http: {
      client: 'axios', method: 'POST', url: 'https://api.stripe.com/v1/charges', status: 502, statusText: '', code: 'ERR_BAD_RESPONSE', durationMs: 312.4,
      requestHeaders: { authorization: '********' }, responseHeaders: { 'retry-after': '30' },
    } }));
    expect(html).to.include('<strong>POST</strong> <span class="upstream-url">https://api.stripe.com/v1/charges</span>');
    expect(html).to.include('<strong class="upstream-status">502</strong> Bad Gateway').and.include('312 ms').and.include('ERR_BAD_RESPONSE');
    expect(html).to.include('<h3>Request headers</h3>').and.include('********').and.include('retry-after');
  });

  it('says when there was no response, and shows nothing without error.http', () => {
    expect(String(upstreamPanel({ http: { method: 'GET', url: 'http://127.0.0.1:9/', status: null, code: 'ECONNREFUSED' } }))).to.include('no response (ECONNREFUSED)');
    expect(upstreamPanel({ type: 'Error' })).to.equal('');
    expect(upstreamPanel(null)).to.equal('');
  });

  it('gives the list a one-line subtitle', () => {
    expect(upstreamLine({ method: 'POST', host: 'api.stripe.com', status: 502 })).to.equal('POST api.stripe.com → 502');
    expect(upstreamLine({ method: null, host: null, status: null })).to.equal(null);
  });
});
