import { expect } from 'chai';
import { isObject, isPlainObject, isRecord } from '../../lib/core/objects';

describe('core/objects', () => {
  it('isPlainObject accepts literals and null-prototype objects only', () => {
    expect(isPlainObject({})).to.equal(true);
    expect(isPlainObject(Object.create(null))).to.equal(true);
    expect(isPlainObject([])).to.equal(false);
    expect(isPlainObject(new Date())).to.equal(false);
    expect(isPlainObject(new Map())).to.equal(false);
    expect(isPlainObject(null)).to.equal(false);
  });

  it('isObject accepts every object, and no primitive or null', () => {
    for (const value of [{}, [], new Date(), new Error('x'), Object.create(null)]) expect(isObject(value)).to.equal(true);
    for (const value of [null, undefined, 0, '', 'text', true, Symbol('s'), () => undefined]) expect(isObject(value)).to.equal(false);
  });

  it('isRecord accepts objects that are not lists, class instances included', () => {
    for (const value of [{}, new Date(), new Error('x'), Object.create(null)]) expect(isRecord(value)).to.equal(true);
    for (const value of [[], null, undefined, 'text', 0]) expect(isRecord(value)).to.equal(false);
  });
});
