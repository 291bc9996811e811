import { expect } from 'chai';
import type { AlertSummary } from '../../../lib/report/Report';
import { describeSummary, summaryLines } from '../../../lib/notifiers/format/alertSummary';

const base: AlertSummary = { kind: 'error', held: 37, newIssues: 37, others: 0, elapsedMs: 600_000, named: [], unnamed: 0 };

describe('alertSummary', () => {
  it('says how many alerts of its kind were held back, new or of known issues', () => {
    expect(describeSummary(base)).to.equal('…and 37 more new issues in the last 10 min');
    expect(describeSummary({ ...base, kind: 'broken-link', held: 1, newIssues: 1 })).to.equal('…and 1 more broken link in the last 10 min');
    expect(describeSummary({ ...base, newIssues: 30, others: 7 })).to.equal('…and 37 more alerts (30 new issues, 7 of known issues) in the last 10 min');
    expect(describeSummary({ ...base, held: 2, newIssues: 0, others: 2, elapsedMs: 0 })).to.equal('…and 2 more alerts of known issues in the last 1 s');
  });

  it('names each new issue held back, with its count, then what was counted but not named', () => {
    const named = [{ title: 'Hot', fingerprint: 'a', count: 3 }, { title: 'Once', fingerprint: 'b', count: 1 }];
    expect(summaryLines({ ...base, named, unnamed: 35 })).to.deep.equal(['Hot (×3)', 'Once', '…and 35 more new issues not named here']);
  });
});
