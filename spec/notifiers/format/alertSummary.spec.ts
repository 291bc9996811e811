import { expect } from 'chai';
import type { AlertSummary } from '../../../lib/notifiers/alertBudget';
import { describeSummary, summaryTitles } from '../../../lib/notifiers/format/alertSummary';

const base: AlertSummary = { held: 37, newIssues: 37, brokenLinks: 0, others: 0, elapsedMs: 600_000, top: [] };

describe('alertSummary', () => {
  it('says how many alerts were held back, and of what kind', () => {
    expect(describeSummary(base)).to.equal('…and 37 more new issues in the last 10 min');
    expect(describeSummary({ ...base, held: 1, newIssues: 0, brokenLinks: 1 })).to.equal('…and 1 more broken link in the last 10 min');
    expect(describeSummary({ ...base, newIssues: 30, brokenLinks: 7 })).to.equal('…and 37 more alerts (30 new issues, 7 broken links) in the last 10 min');
    expect(describeSummary({ ...base, newIssues: 36, others: 1, elapsedMs: 0 })).to.equal('…and 37 more alerts (36 new issues, 1 repeat or regression) in the last 1 s');
  });

  it('lists the top titles with their counts', () => {
    expect(summaryTitles({ ...base, top: [{ title: 'Hot', kind: 'error', count: 3 }, { title: 'Once', kind: 'broken-link', count: 1 }] }))
      .to.deep.equal(['Hot (×3)', 'Once']);
  });
});
