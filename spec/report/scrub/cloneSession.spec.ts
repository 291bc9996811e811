import { expect } from 'chai';
import { budgetText, charge, cloneSession, DEFAULT_MAX_REPORT_BYTES } from '../../../lib/report/scrub/cloneSession';
import { TRUNCATED } from '../../../lib/report/scrub/truncate';

const limits = { maxStringLength: 1000, maxDepth: 5, maxKeys: 50, maxArrayItems: 50 };

describe('cloneSession', () => {
  it('starts below the cap, keeping room for the fixed fields', () => {
    const session = cloneSession({ ...limits, maxReportBytes: 10_000 });
    expect(session.bytes).to.equal(Math.floor(10_000 * 0.95) - 2048);
    expect(cloneSession(limits).bytes).to.equal(Math.floor(DEFAULT_MAX_REPORT_BYTES * 0.95) - 2048);
    expect(session.exhausted).to.equal(false);
  });

  it('charges text and cuts what the budget no longer allows, marking the session exhausted', () => {
    const session = cloneSession({ ...limits, maxReportBytes: 4096 });
    const start = session.bytes;
    charge(session, 'x'.repeat(100));
    expect(session.bytes).to.equal(start - 108);
    expect(budgetText(session, 'short', 1000)).to.equal('short');
    expect(session.exhausted).to.equal(false);
    const kept = budgetText(session, 'y'.repeat(10_000), 100_000);
    expect(kept.endsWith(TRUNCATED)).to.equal(true);
    expect(session.exhausted).to.equal(true);
    expect(budgetText(session, 'anything', 1000)).to.equal(TRUNCATED);
  });

  it("takes the filter's key rule, hiding a key when the rule itself throws", () => {
    const session = cloneSession(limits, {
      isHiddenKey: (key: string) => { if (key === 'odd') throw new Error('no'); return key === 'password'; },
      cleansedSubstitute: '***',
    });
    expect(session.isHiddenKey('password')).to.equal(true);
    expect(session.isHiddenKey('name')).to.equal(false);
    expect(session.isHiddenKey('odd')).to.equal(true);
    expect(session.substitute).to.equal('***');
    expect(cloneSession(limits).isHiddenKey('password')).to.equal(false);
  });
});
