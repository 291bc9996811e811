import { expect } from 'chai';
import { CleansedFrames } from '../../../lib/report/scrub/cleansedFrames';
import { copyFrames, parsedFrames } from '../../../lib/report/parsedFrames';
import { SafeReportFilter } from '../../../lib/report/scrub/SafeReportFilter';
import { errorInfo } from '../../../lib/report/errorInfo';
import { reportOptions } from '../../../lib/report/options';
import { baseReport } from '../../../lib/report/baseReport';

const lines = (site: number, fn = 'handler') => `\n    at ${fn} (${process.cwd()}/lib/routes/items.ts:${site}:7)\n    at dispatch (${process.cwd()}/node_modules/koa-compose/index.js:42:32)`;

describe('CleansedFrames', () => {
  it('runs the rule over each string field once per throw site and hands out fresh copies', () => {
    const memory = new CleansedFrames();
    const { frames } = parsedFrames(lines(5), 50);
    let calls = 0;
    const rule = (text: string) => { calls += 1; return text.toUpperCase(); };
    const first = memory.get(copyFrames(frames), rule, '[x]')!;
    expect(first[0]).to.deep.equal({ file: 'LIB/ROUTES/ITEMS.TS', line: 5, column: 7, function: 'HANDLER', inApp: true });
    expect(calls).to.equal(4);
    const second = memory.get(copyFrames(frames), rule, '[x]')!;
    expect(calls, 'remembered').to.equal(4);
    expect(second).to.deep.equal(first);
    expect(second[0], 'a copy per report').to.not.equal(first[0]);
    second[0].function = 'changed by a consumer';
    expect(memory.get(copyFrames(frames), rule, '[x]')![0].function).to.equal('HANDLER');
    memory.clear();
    memory.get(copyFrames(frames), rule, '[x]');
    expect(calls, 'forgotten by clear()').to.equal(8);
  });

  it('marks a field whose rule throws as unfilterable, and leaves frames it did not parse to the caller', () => {
    const memory = new CleansedFrames();
    const { frames } = parsedFrames(lines(6), 50);
    const cleansed = memory.get(copyFrames(frames), () => { throw new Error('broken rule'); }, '[x]')!;
    expect(cleansed[0]).to.include({ file: '[x]', function: '[x]', line: 6 });
    const altered = copyFrames(frames);
    altered[0].file = 'elsewhere.ts';
    expect(memory.get(altered, (t) => t, '[x]')).to.equal(undefined);
    expect(memory.get([{ file: 'a.ts', line: 1, column: 1, function: null, inApp: true }], (t) => t, '[x]')).to.equal(undefined);
  });

  it('gives a filter the same frames as walking them would, secrets in names masked', () => {
    const options = reportOptions({});
    const err = new Error('boom');
    err.stack = `Error: boom${lines(7, 'Object.eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl')}`;
    const error = errorInfo(err, options.limits);
    const report = baseReport({ kind: 'error', title: 't', status: 500, error });
    const handBuilt = baseReport({ kind: 'error', title: 't', status: 500, error: { ...error, frames: error.frames.map((frame) => ({ ...frame })) } });
    const filter = new SafeReportFilter();
    const viaMemory = filter.cleanse(report).error!.frames;
    expect(viaMemory).to.deep.equal(filter.cleanse(handBuilt).error!.frames);
    expect(JSON.stringify(viaMemory)).to.not.include('eyJzdWIiOiIxIn0');
    // Rules changed on the same filter: the frames are cleansed again under the new rules.
    filter.cleansedSubstitute = '[gone]';
    expect(filter.cleanse(report).error!.frames[0].function).to.include('[gone]');
  });
});
