import { expect } from 'chai';
import createError from 'http-errors';
import { asError, clientMessage, headersOf, markUpstreamErrors, statusOf } from '../../lib/envelope/thrown';

const hostile = new Proxy({}, { get() { throw new Error('trap'); }, getPrototypeOf() { throw new Error('trap'); } });

describe('thrown', () => {
  it('reads status or statusCode when it is an HTTP error status, else 500', () => {
    expect(statusOf(createError(404))).to.equal(404);
    expect(statusOf({ statusCode: 429 })).to.equal(429);
    for (const value of [new Error('x'), { status: 200 }, { status: '404' }, { status: 700 }, 'x', null, undefined, hostile]) {
      expect(statusOf(value)).to.equal(500);
    }
  });

  it("answers an HTTP client's failure 502, a timeout 504, whatever status the upstream gave, unless the request propagates", () => {
    const upstream401 = Object.assign(new Error('Request failed with status code 401'), { name: 'AxiosError', isAxiosError: true, status: 401, code: 'ERR_BAD_REQUEST', config: {} });
    const timeout = Object.assign(new Error('timeout of 50ms exceeded'), { name: 'AxiosError', isAxiosError: true, code: 'ECONNABORTED', config: {} });
    expect(statusOf(upstream401)).to.equal(502);
    expect(statusOf(timeout)).to.equal(504);
    const ctx = { state: {} };
    markUpstreamErrors(ctx, 'propagate');
    expect(statusOf(upstream401, ctx)).to.equal(401);
    expect(statusOf(timeout, ctx)).to.equal(500);
    expect(statusOf(createError(401), ctx)).to.equal(401);
  });

  it('keeps header names that are tokens and strips CR/LF from values', () => {
    expect(headersOf({ headers: { Allow: 'GET, HEAD', 'Retry-After': 30, 'Bad Name': 'x', 'X-Split': 'a\r\nSet-Cookie: x=1' } }))
      .to.deep.equal({ Allow: 'GET, HEAD', 'Retry-After': '30', 'X-Split': 'a  Set-Cookie: x=1' });
    expect(headersOf(hostile)).to.deep.equal({});
    expect(headersOf('x')).to.deep.equal({});
  });

  it('exposes 4xx messages unless told not to, and 5xx messages only when told to', () => {
    expect(clientMessage(createError(400, 'bad title'), 400)).to.equal('bad title');
    expect(clientMessage(createError(403, 'why', { expose: false }), 403)).to.equal('Forbidden');
    expect(clientMessage(new Error('db password is x'), 500)).to.equal('Internal Server Error');
    expect(clientMessage(createError(503, 'back at 10:00', { expose: true }), 503)).to.equal('back at 10:00');
    expect(clientMessage(hostile, 500)).to.equal('Internal Server Error');
  });

  it('wraps non-Errors so Koa\'s error listener accepts them', () => {
    const err = new Error('x');
    expect(asError(err)).to.equal(err);
    expect(asError('text').message).to.equal('non-error thrown: text');
    expect(asError({ a: 1 }).message).to.equal('non-error thrown: {"a":1}');
    expect(asError(null).message).to.equal('non-error thrown: null');
    expect(asError(hostile).message).to.match(/^non-error thrown: /);
  });
});
