import { expect } from 'chai';
import createError from 'http-errors';
import type { HttpClientInfo } from '../../lib/report/Report';
import { clientOf, upstreamFailure, upstreamTitle } from '../../lib/report/httpClientError';

const axiosShaped = (code: string | undefined, status?: number) =>
  Object.assign(new Error('Request failed'), { name: 'AxiosError', isAxiosError: true, code, config: { method: 'get', url: 'https://api.example/x' }, ...(status ? { status, response: { status } } : {}) });

function info(fields: Partial<HttpClientInfo>): HttpClientInfo {
  return { client: 'axios', method: 'GET', url: null, status: null, statusText: null, code: null, requestHeaders: {}, responseHeaders: {}, ...fields };
}

describe('httpClientError', () => {
  it('tells the client by the error shape, and nothing else is an HTTP client error', () => {
    expect(clientOf(axiosShaped('ERR_BAD_REQUEST', 401))).to.equal('axios');
    expect(clientOf(Object.assign(new Error('x'), { name: 'HTTPError', options: { url: 'https://a/', method: 'GET' } }))).to.equal('got');
    expect(clientOf(Object.assign(new Error('x'), { code: 'UND_ERR_SOCKET' }))).to.equal('undici');
    expect(clientOf(new TypeError('fetch failed'))).to.equal('fetch');
    for (const other of [createError(401), new Error('x'), { status: 401 }, Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), null, 'x']) {
      expect(clientOf(other), String(other)).to.equal(null);
    }
  });

  it("says 'timeout' for each client's timeout and 'failed' for any other upstream failure", () => {
    expect(upstreamFailure(axiosShaped('ECONNABORTED'))).to.equal('timeout');
    expect(upstreamFailure(axiosShaped('ETIMEDOUT'))).to.equal('timeout');
    expect(upstreamFailure(Object.assign(new Error('x'), { code: 'UND_ERR_HEADERS_TIMEOUT' }))).to.equal('timeout');
    expect(upstreamFailure(Object.assign(new Error('x'), { name: 'TimeoutError', code: 'ETIMEDOUT', options: { url: 'https://a/', method: 'GET' } }))).to.equal('timeout');
    expect(upstreamFailure(Object.assign(new TypeError('fetch failed'), { cause: { code: 'UND_ERR_CONNECT_TIMEOUT' } }))).to.equal('timeout');
    expect(upstreamFailure(axiosShaped('ERR_BAD_REQUEST', 401))).to.equal('failed');
    expect(upstreamFailure(axiosShaped('ECONNREFUSED'))).to.equal('failed');
    expect(upstreamFailure(createError(504))).to.equal(null);
  });

  it('titles an upstream failure by method, host and path, never the query, fragment or credentials', () => {
    expect(upstreamTitle(info({ url: 'https://api.weather.example/v1/forecast?key=secret#x', status: 401 }))).to.equal('GET api.weather.example/v1/forecast → 401');
    expect(upstreamTitle(info({ method: 'POST', url: 'https://user:pass@pay.example:8443/v1/charge', code: 'ECONNREFUSED' }))).to.equal('POST pay.example:8443/v1/charge → ECONNREFUSED');
    expect(upstreamTitle(info({ url: '/relative/path?token=x' }))).to.equal('GET /relative/path → no response');
    expect(upstreamTitle(info({ method: null, url: null }))).to.equal('request to an unknown URL → no response');
    expect(upstreamTitle(info({ url: `https://a.example/${'x'.repeat(500)}`, status: 500 }))).to.have.length.below(230);
  });
});
