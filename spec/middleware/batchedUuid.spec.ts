import { expect } from 'chai';
import { batchedUuid } from '../../lib/middleware/batchedUuid';

// Version 4 (RFC 9562 §5.4): the 13th hex digit is 4, the 17th one of 8, 9, a, b.
const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('batchedUuid', () => {
  it('gives random version 4 UUIDs, all distinct, across several batches', () => {
    const ids = Array.from({ length: 256 * 4 + 7 }, () => batchedUuid());
    for (const id of ids) expect(id).to.match(V4);
    expect(new Set(ids).size).to.equal(ids.length);
  });

  it('uses every hex digit in every free position and both halves of the variant', () => {
    // 122 random bits per id: over 2,000 ids each free position must take all 16 digits (a
    // stuck or shifted digit, or a table off by one, would miss some).
    const ids = Array.from({ length: 2048 }, () => batchedUuid());
    for (let pos = 0; pos < 36; pos++) {
      if ([8, 13, 14, 18, 19, 23].includes(pos)) continue;
      expect(new Set(ids.map((id) => id[pos])).size, `position ${pos}`).to.equal(16);
    }
    expect(new Set(ids.map((id) => id[19]))).to.deep.equal(new Set(['8', '9', 'a', 'b']));
  });

  it('returns flat strings of its own, unchanged by later ids', () => {
    const first = batchedUuid();
    const copy = `${first}`;
    for (let i = 0; i < 600; i++) batchedUuid();
    expect(first).to.equal(copy);
    expect(first).to.have.length(36);
  });
});
