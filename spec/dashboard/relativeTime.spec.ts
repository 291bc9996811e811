import { expect } from 'chai';
import { exactTime, relativeTime, toDate } from '../../lib/dashboard/relativeTime';

describe('dashboard relativeTime', () => {
  const now = new Date('2025-03-01T12:00:00Z');
  const ago = (ms: number) => relativeTime(new Date(now.getTime() - ms), now);

  it('says how long ago, in the largest whole unit', () => {
    expect(ago(3000)).to.equal('just now');
    expect(ago(45_000)).to.equal('45 s ago');
    expect(ago(5 * 60_000)).to.equal('5 min ago');
    expect(ago(3 * 3_600_000 + 59 * 60_000)).to.equal('3 h ago');
    expect(ago(2 * 86_400_000)).to.equal('2 d ago');
    expect(ago(400 * 86_400_000)).to.equal('1 y ago');
    expect(ago(-2 * 3_600_000)).to.equal('in 2 h');
    expect(relativeTime(new Date(NaN), now)).to.equal('unknown');
  });

  it('gives the exact UTC time for tooltips, and reads stored dates', () => {
    expect(exactTime(new Date('2025-03-01T13:05:09.123Z'))).to.equal('2025-03-01 13:05:09 UTC');
    expect(exactTime(new Date(NaN))).to.equal('unknown');
    expect(toDate('2025-03-01T00:00:00Z').getTime()).to.equal(Date.UTC(2025, 2, 1));
    expect(Number.isNaN(toDate({}).getTime())).to.equal(true);
  });
});
