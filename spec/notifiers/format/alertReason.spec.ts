import { expect } from 'chai';
import { describeAlert, describeCount, formatDuration, formatWindow } from '../../../lib/notifiers/format/alertReason';

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

  it('says what ended a snooze, and why the overflow group and a budget summary speak', () => {
    const base = { suppressed: 0, windowMs: 600_000, count: 12 };
    expect(describeAlert({ ...base, reason: 'snooze-ended', snoozeEnded: { after: 'count', occurrences: 10 } })).to.equal('Snooze ended (10 more occurrences)');
    expect(describeAlert({ ...base, reason: 'snooze-ended', snoozeEnded: { after: 'count', occurrences: 1 } })).to.equal('Snooze ended (1 more occurrence)');
    expect(describeAlert({ ...base, reason: 'snooze-ended', snoozeEnded: { after: 'time', ms: 3_600_000 } })).to.equal('Snooze ended (after 1 hour)');
    expect(describeAlert({ ...base, reason: 'overflow' })).to.match(/^Over the hourly limit of new issues/);
    expect(describeAlert({ ...base, reason: 'summary' })).to.equal('Alert budget reached');
  });

  it('formats a snooze\'s length in words', () => {
    expect(formatDuration(3_600_000)).to.equal('1 hour');
    expect(formatDuration(5_400_000)).to.equal('1 hour 30 minutes');
    expect(formatDuration(2 * 86_400_000)).to.equal('2 days');
    expect(formatDuration(86_400_000 + 7_200_000 + 60_000)).to.equal('1 day 2 hours');
    expect(formatDuration(45_000)).to.equal('45 seconds');
    expect(formatDuration(0)).to.equal('0 seconds');
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
