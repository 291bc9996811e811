import { expect } from 'chai';
import { isoTimestamp } from '../../lib/report/isoTimestamp';

describe('isoTimestamp', () => {
  it('writes what Date#toISOString writes, milliseconds included', () => {
    const times = [0, 1, 9, 10, 99, 100, 999, 1000, 1001, 1_764_637_207_123, 1_764_637_207_999, 1_764_637_208_000, -1, -999, -1000, -1001, 253_402_300_799_999, 253_402_300_800_000, -62_198_755_200_001, 8.64e15, -8.64e15, 1.5, -0.5, -1000.7, 1_764_637_207_123.9];
    for (const ms of times) expect(isoTimestamp(ms), String(ms)).to.equal(new Date(ms).toISOString());
    // Each second's text is reused: going back and forth between seconds must not mix them up.
    for (const ms of [5_000_123, 6_000_001, 5_000_999, 5_000_000]) expect(isoTimestamp(ms)).to.equal(new Date(ms).toISOString());
  });

  it('defaults to now', () => {
    const before = Date.now();
    const stamp = isoTimestamp();
    expect(Date.parse(stamp)).to.be.within(before, Date.now());
    expect(stamp).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('refuses an invalid time as toISOString does', () => {
    expect(() => isoTimestamp(Number.NaN)).to.throw(RangeError);
    expect(() => isoTimestamp(8.64e15 + 1)).to.throw(RangeError);
  });
});
