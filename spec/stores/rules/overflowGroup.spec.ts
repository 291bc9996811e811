import { expect } from 'chai';
import { budgetHour, limitOf, OVERFLOW_TITLE, rerouted } from '../../../lib/stores/rules/overflowGroup';
import { makeBrokenLinkReport, makeReport } from '../../support/reports';

describe('overflowGroup', () => {
  it('files a report in its kind\'s overflow group, keeping what it carries', () => {
    const report = makeReport({ fingerprint: 'random-1' });
    const moved = rerouted(report, 500);
    expect(moved).to.include({ fingerprint: 'overflow:error', title: OVERFLOW_TITLE, id: report.id });
    expect(moved.error).to.equal(report.error);
    expect(moved.grouping).to.deep.equal({ rule: 'overflow', detail: 'over 500 new error issues in one hour: reports of further new ones are counted here' });
    expect(rerouted(makeBrokenLinkReport('/x', 'https://r.example/'), 5).fingerprint).to.equal('overflow:broken-link');
  });

  it('counts the budget per UTC hour, and a kind without a limit has none', () => {
    expect(budgetHour(new Date('2030-01-01T10:59:59.999Z')).toISOString()).to.equal('2030-01-01T10:00:00.000Z');
    expect([limitOf({ error: 3 }, 'error'), limitOf({ error: 3 }, 'broken-link'), limitOf(undefined, 'error'), limitOf({ error: -1 }, 'error')]).to.deep.equal([3, Infinity, Infinity, Infinity]);
  });
});
