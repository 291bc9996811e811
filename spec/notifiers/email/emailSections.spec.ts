import { expect } from 'chai';
import { alertLine, reportSections } from '../../../lib/notifiers/email/emailSections';
import { sampleBrokenLinkReport, sampleErrorReport } from '../../support/reports';

describe('reportSections', () => {
  const headings = (report: Parameters<typeof reportSections>[0]) => reportSections(report).map((s) => s.heading);

  it('orders the error sections as a reader needs them', () => {
    const base = sampleErrorReport();
    const report = sampleErrorReport({
      error: { ...base.error!, extra: { code: 1 }, cause: [{ type: 'Error', message: 'inner', stack: null, frames: [], extra: {} }] },
      request: { ...base.request!, body: 'raw' },
    });
    expect(headings(report)).to.deep.equal([
      'Request', 'User', 'Error', 'Error stack', 'Error frames (* in-app)', 'Cause 1',
      'Error properties', 'Request headers', 'Query', 'Request body', 'Server',
    ]);
  });

  it('leaves out what is empty', () => {
    const base = sampleErrorReport();
    const report = sampleErrorReport({ error: { ...base.error!, stack: null, frames: [] }, request: { ...base.request!, query: {}, body: null } });
    expect(headings(report)).to.deep.equal(['Request', 'User', 'Error', 'Request headers', 'Server']);
    expect(headings(sampleErrorReport({ request: null, error: null }))).to.deep.equal(['User', 'Server']);
  });

  it("starts a broken link with Django's four lines", () => {
    const [first] = reportSections(sampleBrokenLinkReport());
    expect(first).to.deep.equal({
      heading: null,
      rows: [
        ['Referrer', 'https://shop.example.com/home'],
        ['Requested URL', '/old-page?ref=nav'],
        ['User agent', 'Mozilla/5.0 (Macintosh)'],
        ['IP address', '198.51.100.23'],
      ],
    });
  });

  it('sums up the alert in one line', () => {
    expect(alertLine(sampleErrorReport())).to.equal('New issue · Seen once');
    expect(alertLine(sampleErrorReport({ alert: undefined }))).to.equal('New issue');
    expect(alertLine(sampleErrorReport({ alert: { reason: 'window', suppressed: 0, windowMs: 600_000, count: 4 } }))).to.equal('Again, first time in over 10 min · Seen 4 times');
  });
});
