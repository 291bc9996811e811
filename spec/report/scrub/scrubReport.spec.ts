import { expect } from 'chai';
import Koa, { type Context } from 'koa';
import { createHash } from 'node:crypto';
import { reportOptions } from '../../../lib/report/reportOptions';
import { SafeReportFilter } from '../../../lib/report/scrub/SafeReportFilter';
import { applyFingerprintOption, filterFor, limitBody, scrubReport } from '../../../lib/report/scrub/scrubReport';
import { sampleReport, sampleRequest } from '../../support/reports';

const SUB = '********************';

function contextWithState(state: Record<string, unknown>): Context {
  const ctx = new Koa().createContext({ headers: {}, url: '/', method: 'GET', socket: {} } as never, {} as never);
  Object.assign(ctx.state, state);
  return ctx;
}

describe('scrubReport', () => {
  it("uses ctx.state.reportFilter over the configured filter", () => {
    class Own extends SafeReportFilter {
      override cleansedSubstitute = '[own]';
    }
    const options = reportOptions();
    const own = new Own();
    expect(filterFor(contextWithState({ reportFilter: own }), options)).to.equal(own);
    expect(filterFor(contextWithState({ reportFilter: 'not a filter' }), options)).to.equal(options.filter);
    expect(filterFor(undefined, options)).to.equal(options.filter);
    const report = sampleReport({ request: sampleRequest({ headers: { cookie: 'c' } }) });
    expect(scrubReport(report, contextWithState({ reportFilter: own }), options).request!.headers).to.deep.equal({ cookie: '[own]' });
  });

  it('falls back to the base rules when a custom cleanse throws', () => {
    class Broken extends SafeReportFilter {
      override cleanse(): never {
        throw new Error('bug');
      }
    }
    const report = sampleReport({ request: sampleRequest({ headers: { cookie: 'c' }, body: { password: 'p' } }) });
    const scrubbed = scrubReport(report, undefined, reportOptions({ filter: new Broken() }));
    expect(scrubbed.request!.headers).to.deep.equal({ cookie: SUB });
    expect(scrubbed.request!.body).to.deep.equal({ password: SUB });
  });

  it('cuts large bodies after filtering, so the preview holds no hidden values', () => {
    const body = { password: 'hunter2', filler: 'x'.repeat(500) };
    const scrubbed = scrubReport(sampleReport({ request: sampleRequest({ body }) }), undefined, reportOptions({ limits: { maxBodyBytes: 100 } }));
    const preview = scrubbed.request!.body as string;
    expect(preview).to.be.a('string');
    expect(preview.startsWith(`{"password":"${SUB}"`)).to.equal(true);
    expect(preview).not.to.include('hunter2');
  });
});

describe('limitBody', () => {
  it('keeps a body whose JSON fits', () => {
    const body = { a: 'b' };
    expect(limitBody(body, 9)).to.equal(body);
    expect(limitBody(undefined, 10)).to.equal(null);
  });

  it('replaces a larger body by a preview saying how many bytes were dropped', () => {
    const body = { text: 'y'.repeat(100) };
    const json = JSON.stringify(body);
    expect(limitBody(body, 20)).to.equal(`${json.slice(0, 20)}…[truncated ${json.length - 20} bytes]`);
  });

  it('counts bytes, not characters, and does not cut a character in half', () => {
    const preview = limitBody('éééé', 4) as string;
    expect(preview).to.equal(`"é…[truncated 7 bytes]`);
  });
});

describe('applyFingerprintOption', () => {
  const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

  it('replaces the fingerprint with the hash of what the hook returns', () => {
    const options = reportOptions({ fingerprint: (report) => [report.kind, String(report.status)] });
    expect(applyFingerprintOption(sampleReport(), options).fingerprint).to.equal(sha1('error\n500'));
  });

  it('keeps the fingerprint when the hook returns nothing or throws', () => {
    const report = sampleReport({ fingerprint: 'kept' });
    expect(applyFingerprintOption(report, reportOptions({ fingerprint: () => undefined })).fingerprint).to.equal('kept');
    const throwing = reportOptions({
      fingerprint: () => {
        throw new Error('hook bug');
      },
    });
    expect(applyFingerprintOption(report, throwing).fingerprint).to.equal('kept');
  });
});
