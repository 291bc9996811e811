import { expect } from 'chai';
import { mapHeldItems } from '../../../lib/report/scrub/heldItems';

describe('heldItems', () => {
  it('maps a dense list item by item, in order', () => {
    expect(mapHeldItems([1, 2, 3], (n) => (n as number) * 10)).to.deep.equal([10, 20, 30]);
    expect(mapHeldItems([], (n) => n)).to.deep.equal([]);
  });

  it('keeps undefined items a list really holds, and counts the holes it does not', () => {
    expect(mapHeldItems([undefined, 'a'], (x) => x)).to.deep.equal([undefined, 'a']);
    // eslint-disable-next-line no-sparse-arrays
    expect(mapHeldItems(['a', , 'b', , ,], (x) => x)).to.deep.equal(['a', 'b', '[3 empty items]']);
  });

  it('visits the items a sparse list holds, not its length: each is called once per held item', () => {
    const list: unknown[] = ['first'];
    list[1e8] = 'far';
    let calls = 0;
    const copy = mapHeldItems(list, (x) => { calls += 1; return x; });
    expect(calls).to.equal(2);
    expect(copy).to.deep.equal(['first', 'far', `[${1e8 + 1 - 2} empty items]`]);
  });
});
