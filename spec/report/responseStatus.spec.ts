import { expect } from 'chai';
import type { Context } from 'koa';
import { ResponseStatus } from '../../lib/report/responseStatus';
import { koaContext } from '../support/koaContext';

function contextFor(method: string, url: string, status: number, matchedRoute?: string): Context {
  const ctx = koaContext(method, url);
  ctx.status = status;
  if (matchedRoute !== undefined) (ctx as Context & { _matchedRoute?: string })._matchedRoute = matchedRoute;
  return ctx;
}

describe('ResponseStatus', () => {
  it('names the status in its message and groups by status, method and matched route', () => {
    const err = new ResponseStatus(contextFor('GET', '/users/7', 503, '/users/:id'));
    expect(err).to.be.instanceOf(Error);
    expect(err.name).to.equal('ResponseStatus');
    expect(err.message).to.equal('Response status 503 set without an exception');
    expect(err.fingerprint).to.deep.equal(['ResponseStatus', '503', 'GET', '/users/:id']);
  });

  it('never groups by the raw path: without a matched route, status and method only', () => {
    const a = new ResponseStatus(contextFor('POST', '/random/aaa', 502));
    const b = new ResponseStatus(contextFor('POST', '/random/bbb', 502, ''));
    expect(a.fingerprint).to.deep.equal(['ResponseStatus', '502', 'POST']);
    expect(b.fingerprint).to.deep.equal(a.fingerprint);
  });
});
