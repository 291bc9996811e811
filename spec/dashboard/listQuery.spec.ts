import { expect } from 'chai';
import type { Context } from 'koa';
import { listQuery } from '../../lib/dashboard/listQuery';

const ctx = (query: Record<string, unknown>) => ({ query }) as unknown as Context;

describe('dashboard listQuery', () => {
  it('reads the filters, every value checked, anything else the default', () => {
    expect(listQuery(ctx({ status: 'all', kind: 'broken-link', sort: 'count', page: '3', release: '1.4.2', q: 'boom' }), 50, 'error')).to.deep.include({
      status: 'all', kind: 'broken-link', sort: 'count', page: 3, perPage: 50, release: '1.4.2', q: 'boom',
    });
    expect(listQuery(ctx({ status: 'deleted', kind: ['error', 'x'], sort: '$where', page: '-1' }), 20, 'all')).to.deep.include({
      status: 'open', kind: undefined, kindChoice: 'all', sort: 'lastSeen', page: 1, perPage: 20,
    });
  });

  it('takes perPage from the URL only for the API, at most 500', () => {
    expect(listQuery(ctx({ perPage: '5' }), 50, 'all').perPage).to.equal(50);
    expect(listQuery(ctx({ perPage: '5' }), 50, 'all', true).perPage).to.equal(5);
    expect(listQuery(ctx({ perPage: '100000' }), 50, 'all', true).perPage).to.equal(500);
  });
});
