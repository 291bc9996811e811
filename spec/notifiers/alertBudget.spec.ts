import { expect } from 'chai';
import { AlertBudget, checkBudget, type AlertSummary } from '../../lib/notifiers/alertBudget';
import { FakeClock } from '../support/fakeClock';
import { sampleBrokenLinkReport, sampleErrorReport } from '../support/reports';

describe('AlertBudget', () => {
  let clock: FakeClock;
  let summaries: AlertSummary[];

  function budget(maxAlertsPerWindow = 3, budgetWindowMs = 600_000): AlertBudget {
    return new AlertBudget({ maxAlertsPerWindow, budgetWindowMs, clock, onSummary: (s) => summaries.push(s) });
  }

  beforeEach(() => {
    clock = new FakeClock();
    summaries = [];
  });

  it('admits maxAlertsPerWindow alerts, holds the rest, and summarises them at the end of the window', async () => {
    const b = budget(3);
    const admitted = Array.from({ length: 10 }, (_, i) => b.admit(sampleErrorReport({ title: i < 6 ? 'Hot' : `Cold ${i}` })));
    expect(admitted).to.deep.equal([true, true, true, false, false, false, false, false, false, false]);
    expect(b.holding).to.equal(7);

    await clock.advance(599_999);
    expect(summaries).to.have.length(0);
    await clock.advance(1);
    expect(summaries).to.have.length(1);
    expect(summaries[0]).to.deep.include({ held: 7, newIssues: 7, brokenLinks: 0, others: 0, elapsedMs: 600_000 });
    expect(summaries[0].top[0]).to.deep.equal({ title: 'Hot', kind: 'error', count: 3 });
    expect(summaries[0].top).to.have.length(5);
  });

  it('opens a fresh window after the summary', async () => {
    const b = budget(1);
    b.admit(sampleErrorReport());
    b.admit(sampleErrorReport());
    await clock.advance(600_000);
    expect(b.admit(sampleErrorReport())).to.equal(true);
    expect(b.admit(sampleErrorReport())).to.equal(false);
    expect(clock.pending, 'one window timer at a time').to.equal(1);
  });

  it('sends no summary when nothing was held, and counts broken links and repeats apart', async () => {
    const b = budget(1);
    b.admit(sampleErrorReport());
    await clock.advance(600_000);
    expect(summaries).to.have.length(0);

    b.admit(sampleErrorReport());
    b.admit(sampleBrokenLinkReport());
    b.admit(sampleErrorReport({ alert: { reason: 'regression', suppressed: 0, windowMs: 1, count: 9 } }));
    await clock.advance(60_000);
    b.flush();
    expect(summaries[0]).to.deep.include({ held: 2, newIssues: 0, brokenLinks: 1, others: 1, elapsedMs: 60_000 });
    expect(clock.pending).to.equal(0);
  });

  it('lists broken links by their URL (they share one title per host)', () => {
    const b = budget(1);
    b.admit(sampleBrokenLinkReport());
    b.admit(sampleBrokenLinkReport({ brokenLink: { url: '/wp-login.php', referer: 'https://spam.example/', internal: false } }));
    b.flush();
    expect(summaries[0].top).to.deep.equal([{ title: 'Broken link: /wp-login.php', kind: 'broken-link', count: 1 }]);
  });

  it('keeps bounded memory for a flood of distinct titles', () => {
    const b = budget(1);
    for (let i = 0; i < 10_000; i++) b.admit(sampleErrorReport({ title: `${'x'.repeat(1000)}${i}` }));
    b.flush();
    expect(summaries[0].held).to.equal(9_999);
    expect(summaries[0].top.every((t) => t.title.length <= 200)).to.equal(true);
  });

  it('checks its options', () => {
    expect(() => checkBudget('X', { maxAlertsPerWindow: 0, budgetWindowMs: 1 })).to.throw(RangeError, /maxAlertsPerWindow/);
    expect(() => checkBudget('X', { maxAlertsPerWindow: 1, budgetWindowMs: 1.5 })).to.throw(RangeError, /budgetWindowMs/);
  });
});
