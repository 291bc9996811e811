// Issue 11 §2: one cap on the whole report, enforced while it is built.
import { expect } from 'chai';
import { buildErrorReport } from '../../lib/report/buildErrorReport';
import { reportOptions } from '../../lib/report/reportOptions';
import { bulkyError } from '../../bench/reportBuild';
import { requestContext } from '../support/planted';

const CAP = 256 * 1024;
const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

describe('security: report size cap (limits.maxReportBytes)', () => {
  const options = reportOptions({ environment: 'test', release: null });

  it('keeps a bulky error (25 properties × 100 strings × 8 KB) under 256 KB, marking what it left out', () => {
    const ctx = requestContext('POST', '/api/import?page=1', { 'user-agent': 'spec' });
    ctx.state.user = { id: 'u1', username: 'ada' };
    const report = buildErrorReport(bulkyError(), ctx, reportOptions({ environment: 'test', release: null }));
    expect(bytes(report)).to.be.at.most(CAP);
    const extra = JSON.stringify(report.error!.extra);
    expect(extra).to.match(/\[truncated: \d+ more (properties|items)\]/);
    // What is kept first.
    expect(report.error).to.include({ type: 'Error', message: 'bulky' });
    expect(report.error!.frames.length).to.be.above(0);
    expect(report.request).to.include({ method: 'POST', url: '/api/import?page=1', path: '/api/import' });
    expect(report.user).to.deep.equal({ id: 'u1', username: 'ada' });
  });

  it('reads O(limit) of what was thrown, not O(its size)', () => {
    let reads = 0;
    const err = new Error('counted') as Error & Record<string, unknown>;
    const chunk = 'y'.repeat(8 * 1024);
    for (let p = 0; p < 200; p++) {
      Object.defineProperty(err, `p${p}`, { enumerable: true, get: () => Array.from({ length: 100 }, () => { reads++; return chunk; }) });
    }
    // Each getter builds its array up front; what matters is how many getters are called at all.
    const report = buildErrorReport(err, undefined, options);
    const gettersCalled = reads / 100;
    expect(gettersCalled).to.be.below(40);
    expect(bytes(report)).to.be.at.most(CAP);
  });

  it('gives the body before the extras, and honours a smaller cap', () => {
    const small = reportOptions({ environment: 'test', release: null, limits: { maxReportBytes: 32 * 1024 } });
    const ctx = requestContext('POST', '/api/x');
    (ctx.request as { body?: unknown }).body = { note: 'n'.repeat(4000) };
    const err = Object.assign(new Error('with extras'), { blob: 'e'.repeat(60_000) });
    const report = buildErrorReport(err, ctx, small);
    expect(bytes(report)).to.be.at.most(32 * 1024);
    expect(report.request!.body).to.deep.equal({ note: 'n'.repeat(4000) });
    expect(String(report.error!.extra.blob).length).to.be.below(32 * 1024);
  });

  it('keeps multi-byte text under the cap as JSON bytes', () => {
    const err = Object.assign(new Error('wide'), { text: Array.from({ length: 200 }, () => '雪'.repeat(4000)) });
    expect(bytes(buildErrorReport(err, undefined, options))).to.be.at.most(CAP);
  });

  it('rejects a cap that is not a positive integer', () => {
    expect(() => reportOptions({ limits: { maxReportBytes: 0 } })).to.throw(RangeError, /maxReportBytes/);
  });
});

describe('security: report size cap, escapes', () => {
  it('keeps text that JSON escapes (control characters) under the cap although it counts 6 bytes a character', () => {
    const err = Object.assign(new Error('escapes'), { text: Array.from({ length: 2 }, () => '\u0001'.repeat(8000)) });
    const report = buildErrorReport(err, undefined, reportOptions({ environment: 'test', release: null, limits: { maxReportBytes: 64 * 1024 } }));
    expect(Buffer.byteLength(JSON.stringify(report))).to.be.at.most(64 * 1024);
  });
});
