import { expect } from 'chai';
import Koa from 'koa';
import { reportOptions } from '../../lib/report/reportOptions';
import { reportUser } from '../../lib/report/reportUser';

const ctx = new Koa().createContext({ headers: {}, url: '/', method: 'GET', socket: {} } as never, {} as never);

describe('reportUser', () => {
  it('returns what getUser returns, capped to the string limit', () => {
    const options = reportOptions({ getUser: () => ({ id: 'u1', username: 'x'.repeat(50) }), limits: { maxStringLength: 10 } });
    expect(reportUser(ctx, options)).to.deep.equal({ id: 'u1', username: 'x'.repeat(10) + '…[truncated]' });
  });

  it('is anonymous when getUser throws', () => {
    const options = reportOptions({
      getUser: () => {
        throw new Error('session store down');
      },
    });
    expect(reportUser(ctx, options)).to.deep.equal({ id: null, username: 'Anonymous' });
  });

  it('is anonymous, or fills in, when getUser returns something unusable', () => {
    expect(reportUser(ctx, reportOptions({ getUser: () => null as never }))).to.deep.equal({ id: null, username: 'Anonymous' });
    expect(reportUser(ctx, reportOptions({ getUser: () => ({ id: 5, username: {} }) as never }))).to.deep.equal({
      id: '5',
      username: 'Anonymous',
    });
  });
});
