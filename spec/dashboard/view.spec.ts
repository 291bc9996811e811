import { expect } from 'chai';
import type { Context } from 'koa';
import { pageNumber, queryParam } from '../../lib/dashboard/view';
import { koaContext } from '../support/koaContext';

describe('dashboard view helpers', () => {
  it('queryParam: one bounded string, or undefined for missing, empty, repeated or over-long values', () => {
    expect(queryParam(koaContext('GET', '/?q=timeout'), 'q')).to.equal('timeout');
    expect(queryParam(koaContext('GET', '/'), 'q')).to.equal(undefined);
    expect(queryParam(koaContext('GET', '/?q='), 'q')).to.equal(undefined);
    expect(queryParam(koaContext('GET', '/?q=a&q=b'), 'q')).to.equal(undefined);
    expect(queryParam(koaContext('GET', `/?q=${'x'.repeat(201)}`), 'q')).to.equal(undefined);
    expect(queryParam(koaContext('GET', '/?q=abcd'), 'q', 3)).to.equal(undefined);
  });

  it('pageNumber: a whole number from 1, capped; anything else is page 1', () => {
    expect(pageNumber('3')).to.equal(3);
    expect(pageNumber(undefined)).to.equal(1);
    for (const bad of ['0', '-2', '1.5', 'abc', 'Infinity']) expect(pageNumber(bad), bad).to.equal(1);
    expect(pageNumber('99999999')).to.equal(10_000);
    expect(pageNumber('50', 20)).to.equal(20);
  });
});
