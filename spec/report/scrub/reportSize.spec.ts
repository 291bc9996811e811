import { expect } from 'chai';
import { fitReport } from '../../../lib/report/scrub/reportSize';
import { cloneSession } from '../../../lib/report/scrub/cloneSession';
import { makeReport, sampleError, sampleRequest } from '../../support/reports';

const limits = { maxStringLength: 100_000, maxDepth: 5, maxKeys: 50, maxArrayItems: 50 };
const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

function nearCap(cap: number) {
  const session = cloneSession({ ...limits, maxReportBytes: cap });
  session.exhausted = true; // the clone ran out of budget: the report must be measured
  return session;
}

describe('fitReport (the maxReportBytes guard)', () => {
  it('returns a report well under the cap untouched, unmeasured', () => {
    const report = makeReport();
    expect(fitReport(report, cloneSession({ ...limits, maxReportBytes: 1_000_000 }))).to.equal(report);
  });

  it('drops the extras first and keeps the rest when that is enough', () => {
    const report = makeReport({ error: sampleError({ extra: { dump: 'x'.repeat(6000) } }) });
    const fitted = fitReport(report, nearCap(4096));
    expect(bytes(fitted)).to.be.at.most(4096);
    expect(fitted.error!.extra).to.deep.equal({ '…': '[truncated: report over maxReportBytes]' });
    expect(fitted.error!.message).to.equal(report.error!.message);
    expect(fitted.request!.body).to.deep.equal(report.request!.body);
  });

  it('then the body, then causes, headers and the stack, in that order, until it fits', () => {
    const report = makeReport({
      error: sampleError({ extra: { a: 1 }, stack: 's'.repeat(3000), cause: [sampleError({ message: 'c'.repeat(3000) })] }),
      request: sampleRequest({ body: { text: 'b'.repeat(3000) }, headers: { h: 'h'.repeat(3000) } }),
    });
    const fitted = fitReport(report, nearCap(2500));
    expect(bytes(fitted)).to.be.at.most(2500);
    expect(fitted.request!.body).to.equal('[truncated: report over maxReportBytes]');
    expect(fitted.error!.cause).to.deep.equal([]);
    expect(fitted.request!.headers).to.deep.equal({});
    expect(fitted.error!.stack).to.equal(null);
    expect(fitted.id, 'the identity of the report stays').to.equal(report.id);
  });

  it('leaves the report alone when there is no cap', () => {
    const report = makeReport({ error: sampleError({ extra: { dump: 'x'.repeat(6000) } }) });
    const session = cloneSession(limits);
    expect(fitReport(report, session)).to.equal(report);
  });
});
