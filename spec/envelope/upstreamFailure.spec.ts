import { expect } from 'chai';
import createError from 'http-errors';
import { clientOf, upstreamFailure } from '../../lib/envelope/upstreamFailure';

const axiosShaped = (code: string | undefined, status?: number) =>
  Object.assign(new Error('Request failed'), { name: 'AxiosError', isAxiosError: true, code, config: { method: 'get', url: 'https://api.example/x' }, ...(status ? { status, response: { status } } : {}) });

describe('upstreamFailure', () => {
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
});
