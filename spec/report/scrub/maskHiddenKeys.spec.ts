import { expect } from 'chai';
import { maskHiddenKeys, UNFILTERABLE } from '../../../lib/report/scrub/maskHiddenKeys';

const walk = { isHidden: (name: string) => /pass|token/i.test(name), substitute: '[x]' };

describe('maskHiddenKeys', () => {
  it('hides values under hidden keys at any depth, whatever the value, and copies the rest', () => {
    const input = { user: 'ada', password: { old: 'a', new: 'b' }, list: [{ token: 7 }, 'plain'] };
    expect(maskHiddenKeys(input, walk)).to.deep.equal({ user: 'ada', password: '[x]', list: [{ token: '[x]' }, 'plain'] });
    expect(input.password).to.deep.equal({ old: 'a', new: 'b' });
  });

  it('hides the value of { name, value } and { key, value } pairs and of [name, value] tuples in lists', () => {
    expect(maskHiddenKeys([{ name: 'Password', value: 'p' }, { key: 'token', value: ['t'] }, { name: 'user', value: 'ada' }], walk)).to.deep.equal([
      { name: 'Password', value: '[x]' },
      { key: 'token', value: '[x]' },
      { name: 'user', value: 'ada' },
    ]);
    expect(maskHiddenKeys({ entries: [['token', 't1'], ['page', '2'], ['a', 'b', 'c']] }, walk)).to.deep.equal({ entries: [['token', '[x]'], ['page', '2'], ['a', 'b', 'c']] });
    // A pair without a value field, or a tuple that is not in a list, is left to the other rules.
    expect(maskHiddenKeys({ name: 'password' }, walk)).to.deep.equal({ name: 'password' });
  });

  it('with hideAll hides every value and keeps every key', () => {
    expect(maskHiddenKeys({ name: 'ada', tags: ['a', 1], deep: { n: null } }, { ...walk, hideAll: true })).to.deep.equal({ name: '[x]', tags: ['[x]', '[x]'], deep: { n: null } });
  });

  it('marks cycles, overly deep values and throwing getters as unfilterable', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(maskHiddenKeys(cyclic, walk)).to.deep.equal({ a: 1, self: UNFILTERABLE });
    let deep: unknown = 'bottom';
    for (let i = 0; i < 100; i++) deep = { deep };
    expect(JSON.stringify(maskHiddenKeys(deep, walk))).to.include(UNFILTERABLE);
    const trap = Object.defineProperty({}, 'boom', { enumerable: true, get: () => { throw new Error('no'); } });
    expect(maskHiddenKeys(trap, walk)).to.deep.equal({ boom: UNFILTERABLE });
  });

  it('walks a sparse list by the items it holds: a hidden tuple far out is still hidden, and no slot-by-slot copy is made', () => {
    const list: unknown[] = [['user', 'ann']];
    list[1e8] = ['password', 'hunter2'];
    const masked = maskHiddenKeys({ pairs: list }, walk) as { pairs: unknown[] };
    expect(masked.pairs.length).to.be.lessThan(10);
    expect(JSON.stringify(masked)).to.not.include('hunter2');
    expect(masked.pairs[0]).to.deep.equal(['user', 'ann']);
  });
});
