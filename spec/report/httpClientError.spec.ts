import { expect } from 'chai';
import type { HttpClientInfo } from '../../lib/report/Report';
import { upstreamTitle } from '../../lib/report/httpClientError';

function info(fields: Partial<HttpClientInfo>): HttpClientInfo {
  return { client: 'axios', method: 'GET', url: null, status: null, statusText: null, code: null, requestHeaders: {}, responseHeaders: {}, ...fields };
}

describe('httpClientError', () => {
  it('titles an upstream failure by method, host and path, never the query, fragment or credentials', () => {
    expect(upstreamTitle(info({ url: 'https://api.weather.example/v1/forecast?key=secret#x', status: 401 }))).to.equal('GET api.weather.example/v1/forecast → 401');
    expect(upstreamTitle(info({ method: 'POST', url: 'https://user:pass@pay.example:8443/v1/charge', code: 'ECONNREFUSED' }))).to.equal('POST pay.example:8443/v1/charge → ECONNREFUSED');
    expect(upstreamTitle(info({ url: '/relative/path?token=x' }))).to.equal('GET /relative/path → no response');
    expect(upstreamTitle(info({ method: null, url: null }))).to.equal('request to an unknown URL → no response');
    expect(upstreamTitle(info({ url: `https://a.example/${'x'.repeat(500)}`, status: 500 }))).to.have.length.below(230);
  });
});
