import { expect } from 'chai';
import { eventPaging, histogramBuckets, issueListing } from '../../../lib/stores/rules/issueQuery';

describe('issueQuery', () => {
  it('defaults, bounds and coerces a listing query', () => {
    expect(issueListing({})).to.deep.include({ status: 'open', sort: 'lastSeen', page: 1, perPage: 50, offset: 0, environment: null, release: null, q: '' });
    expect(issueListing({ perPage: 10_000, page: 1_000 })).to.include({ perPage: 500, page: 20, offset: 9500 });
    expect(issueListing({ kind: 'error', perPage: 10, page: 5000 })).to.include({ page: 5000 });
    expect(issueListing({ environment: { $ne: null } as never, q: `  ${'x'.repeat(500)} ` })).to.deep.include({ environment: '[object Object]', q: 'x'.repeat(200) });
  });

  it('refuses an unknown status, kind or sort', () => {
    expect(() => issueListing({ status: 'closed' as never })).to.throw(RangeError, /status/);
    expect(() => issueListing({ kind: 'warning' as never })).to.throw(RangeError, /kind/);
    expect(() => issueListing({ sort: 'title' as never })).to.throw(RangeError, /sort/);
    expect(() => histogramBuckets('week')).to.throw(RangeError, /by/);
    expect(eventPaging({ perPage: 0, page: -3 })).to.deep.equal({ page: 1, perPage: 1, offset: 0 });
  });
});
