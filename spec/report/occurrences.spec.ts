import { expect } from 'chai';
import { occurrencesOf, totalOccurrences } from '../../lib/report/occurrences';
import { sampleReport } from '../support/reports';

describe('occurrences', () => {
  it('counts a report as 1 and a tally as its occurrences', () => {
    expect(occurrencesOf(sampleReport())).to.equal(1);
    expect(occurrencesOf(sampleReport({ occurrences: 250 }))).to.equal(250);
  });

  it('counts anything but a whole number above 1 as a single occurrence', () => {
    for (const occurrences of [0, -3, 1.5, Number.NaN, Infinity, '7' as unknown as number]) {
      expect(occurrencesOf(sampleReport({ occurrences })), String(occurrences)).to.equal(1);
    }
  });

  it('adds up a batch', () => {
    expect(totalOccurrences([sampleReport(), sampleReport({ occurrences: 40 }), sampleReport()])).to.equal(42);
    expect(totalOccurrences([])).to.equal(0);
  });
});
