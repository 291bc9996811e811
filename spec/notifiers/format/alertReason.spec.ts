import { expect } from 'chai';
import { describeAlert, describeCount, formatWindow } from '../../../lib/notifiers/format/alertReason';

describe('alertReason', () => {
  it('describes each reason', () => {
    expect(describeAlert(undefined)).to.equal('New issue');
    expect(describeAlert({ reason: 'new', suppressed: 0, windowMs: 600_000, count: 1 })).to.equal('New issue');
    expect(describeAlert({ reason: 'regression', suppressed: 0, windowMs: 600_000, count: 5 })).to.match(/^Regression/);
    expect(describeAlert({ reason: 'digest', suppressed: 7, windowMs: 600_000, count: 30 })).to.equal('×7 more in the last 10 min');
    expect(describeAlert({ reason: 'window', suppressed: 3, windowMs: 600_000, count: 30 })).to.equal('3 more since the last alert');
  });

  it('says a repeat after a quiet window sensibly, never "0 more since the last alert"', () => {
    const quiet = { reason: 'window', suppressed: 0, windowMs: 600_000, count: 4 } as const;
    expect(describeAlert(quiet)).to.equal('Again, first time in over 10 min');
    expect(describeAlert(quiet)).not.to.match(/\b0 more/);
  });

  it('describes the count when the store gave one', () => {
    expect(describeCount({ reason: 'new', suppressed: 0, windowMs: 1, count: 1 })).to.equal('Seen once');
    expect(describeCount({ reason: 'new', suppressed: 0, windowMs: 1, count: 12 })).to.equal('Seen 12 times');
    expect(describeCount({ reason: 'new', suppressed: 0, windowMs: 1, count: null })).to.equal(null);
    expect(describeCount(undefined)).to.equal(null);
  });

  it('formats windows in seconds, minutes and hours', () => {
    expect(formatWindow(45_000)).to.equal('45 s');
    expect(formatWindow(60_000)).to.equal('1 min');
    expect(formatWindow(600_000)).to.equal('10 min');
    expect(formatWindow(3_600_000)).to.equal('1 h');
    expect(formatWindow(5_400_000)).to.equal('1 h 30 min');
    expect(formatWindow(86_400_000)).to.equal('24 h');
  });
});
