import { expect } from 'chai';
import { AlertBudget, MAX_NAMED_ISSUES, MAX_TITLE_LENGTH, summaryReport } from '../../lib/notifiers/alertBudget';
import type { AlertSummary } from '../../lib/report/Report';
import type { ReportKind } from '../../lib/report/Report';
import { newIssues, randomBrokenLinks } from '../support/alertFlood';
import { FakeClock } from '../support/fakeClock';
import { sampleBrokenLinkReport, sampleErrorReport } from '../support/reports';

describe('AlertBudget', () => {
  let clock: FakeClock;
  let summaries: AlertSummary[];

  function budget(maxAlertsPerWindow = 3, budgetWindowMs = 600_000, kind: ReportKind = 'error'): AlertBudget {
    return new AlertBudget({ kind, maxAlertsPerWindow, budgetWindowMs, clock, onSummary: (s) => summaries.push(s) });
  }

  beforeEach(() => {
    clock = new FakeClock();
    summaries = [];
  });

  it('admits maxAlertsPerWindow alerts, holds the rest, and names every new issue held back at the end of the window', async () => {
    const b = budget(3);
    const flood = newIssues(10);
    expect(flood.map((r) => b.admit(r))).to.deep.equal([true, true, true, false, false, false, false, false, false, false]);
    await clock.advance(599_999);
    expect(summaries).to.have.length(0);
    await clock.advance(1);
    expect(summaries).to.have.length(1);
    expect(summaries[0]).to.deep.include({ kind: 'error', held: 7, newIssues: 7, others: 0, elapsedMs: 600_000, unnamed: 0 });
    expect(summaries[0].named.map((n) => n.title)).to.deep.equal(flood.slice(3).map((r) => r.title));
    expect(summaries[0].named.every((n) => n.count === 1)).to.equal(true);
  });

  it('counts repeats of a held issue on its one line, and repeats of known issues apart', () => {
    const b = budget(1);
    b.admit(sampleErrorReport({ fingerprint: 'first' }));
    b.admit(sampleErrorReport({ fingerprint: 'hot', title: 'Hot' }));
    b.admit(sampleErrorReport({ fingerprint: 'hot', title: 'Hot' }));
    b.admit(sampleErrorReport({ fingerprint: 'known', alert: { reason: 'regression', suppressed: 0, windowMs: 1, count: 9 } }));
    b.admit(sampleErrorReport({ fingerprint: 'known', alert: { reason: 'window', suppressed: 3, windowMs: 1, count: 12 } }));
    b.flush();
    expect(summaries[0]).to.deep.include({ held: 4, newIssues: 2, others: 2 });
    expect(summaries[0].named).to.deep.equal([{ title: 'Hot', fingerprint: 'hot', count: 2 }]);
  });

  it('opens a fresh window after the summary, with one timer at a time', async () => {
    const b = budget(1);
    b.admit(sampleErrorReport());
    b.admit(sampleErrorReport());
    await clock.advance(600_000);
    expect(b.admit(sampleErrorReport())).to.equal(true);
    expect(b.admit(sampleErrorReport())).to.equal(false);
    expect(clock.pending).to.equal(1);
  });

  it('sends no summary when nothing was held', async () => {
    const b = budget(1);
    b.admit(sampleErrorReport());
    await clock.advance(600_000);
    b.flush();
    expect(summaries).to.have.length(0);
    expect(clock.pending).to.equal(0);
  });

  it('names broken links by their URL (they share one title per host)', () => {
    const b = budget(1, 600_000, 'broken-link');
    b.admit(sampleBrokenLinkReport());
    b.admit(sampleBrokenLinkReport({ fingerprint: 'wp', brokenLink: { url: '/wp-login.php', referer: 'https://spam.example/', internal: false } }));
    b.flush();
    expect(summaries[0].named).to.deep.equal([{ title: 'Broken link: /wp-login.php', fingerprint: 'wp', count: 1 }]);
  });

  it('stays bounded for a flood of distinct issues: the counts stay exact, the names and titles are capped', () => {
    const b = budget(1);
    for (let i = 0; i < 10_000; i++) b.admit(sampleErrorReport({ fingerprint: `fp-${i}`, title: `${'x'.repeat(1000)}${i}` }));
    b.flush();
    expect(summaries[0]).to.deep.include({ held: 9_999, newIssues: 9_999, unnamed: 9_999 - MAX_NAMED_ISSUES });
    expect(summaries[0].named).to.have.length(MAX_NAMED_ISSUES);
    expect(summaries[0].named.every((n) => n.title.length <= MAX_TITLE_LENGTH)).to.equal(true);
  });

  it('travels as a report every notifier can take: the headline as title, the summary in alert', () => {
    const b = budget(1, 600_000, 'broken-link');
    for (const link of randomBrokenLinks(3)) b.admit(link);
    b.flush();
    const report = summaryReport(summaries[0], 'headline', sampleBrokenLinkReport({ environment: 'production', release: '1.2.3' }), clock.now());
    expect(report).to.deep.include({ kind: 'broken-link', title: 'headline', fingerprint: 'alert-budget:broken-link', environment: 'production', release: '1.2.3' });
    expect(report.alert).to.deep.include({ reason: 'summary', suppressed: 2, count: null });
    expect(report.alert?.summary?.named).to.have.length(2);
  });
});
