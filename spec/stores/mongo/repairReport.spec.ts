import { expect } from 'chai';
import { repairReport } from '../../../lib/stores/mongo/repairReport';
import { makeReport } from '../../support/reports';

describe('repairReport', () => {
  it('escapes every key character MongoDB refuses, at any depth, keeping the values', () => {
    const report = makeReport();
    report.request = { ...report.request!, query: { 'a\u0000b': '1', '$gt': { 'x.y': ['v\u0000', { '': 1, '\uD800': 2 }] } } };
    const { report: repaired } = repairReport(report);
    expect(repaired.request?.query).to.deep.equal({ 'a\u2400b': '1', '\uFF04gt': { 'x\uFF0Ey': ['v\u0000', { '\u2205': 1, '\uFFFD': 2 }] } });
    expect(repaired.id).to.equal(report.id);
    expect(repaired.fingerprint).to.equal(report.fingerprint);
    // The original is not changed.
    expect(Object.keys(report.request.query)).to.include('a\u0000b');
  });

  it('cuts long strings, arrays, objects and depth, saying how much was cut', () => {
    const report = makeReport();
    let deep: Record<string, unknown> = { end: true };
    for (let i = 0; i < 30; i++) deep = { deeper: deep };
    report.error!.extra = { long: 'y'.repeat(20_000), list: Array.from({ length: 150 }, (_, i) => i), wide: Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`k${i}`, i])), deep };
    const { report: repaired, cut } = repairReport(report, 10 * 1024 * 1024);
    const extra = repaired.error!.extra as Record<string, any>;
    expect(extra.long).to.match(/…\[truncated: 11808 more characters\]$/);
    expect(extra.list).to.have.length(101);
    expect(extra.list.at(-1)).to.equal('[truncated: 50 more items]');
    expect(Object.keys(extra.wide)).to.have.length(201);
    expect(extra.wide['…']).to.equal('[truncated: 50 more properties]');
    expect(JSON.stringify(extra.deep)).to.include('[truncated: too deep]');
    expect(cut).to.include.members(['long strings cut', 'deep values cut']);
  });

  it('sheds extras, bodies and causes first until the report fits its budget, and marks it', () => {
    const report = makeReport({ title: 'kept title' });
    report.error!.extra = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`p${i}`, Array.from({ length: 100 }, () => 'x'.repeat(8192))]));
    report.request = { ...report.request!, body: { big: 'z'.repeat(8000) } };
    const { report: repaired, cut } = repairReport(report, 16 * 1024);
    expect(Buffer.byteLength(JSON.stringify(repaired))).to.be.below(16 * 1024);
    expect(cut).to.include('error.extra removed');
    expect(repaired.error!.extra.tripwireRepaired).to.match(/error\.extra removed/);
    expect(repaired.title).to.equal('kept title');
    expect(repaired.error!.frames).to.deep.equal(report.error!.frames);
  });
});
