import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildErrorReport } from '../../lib/report/buildErrorReport';
import { reportOptions } from '../../lib/report/options';
import { sourceContext } from '../../lib/report/sourceContext';
import type { Report } from '../../lib/report/Report';
import { sampleError, sampleReport } from '../support/reports';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const fixture = require('../support/fixtures/sourceFixture.js') as { chargeCard(amount: number): never };
const options = reportOptions({ environment: 'test', release: null });

function fixtureReport(): Report {
  try {
    fixture.chargeCard(12);
  } catch (err) {
    return buildErrorReport(err, undefined, options);
  }
  throw new Error('the fixture was expected to throw');
}

describe('sourceContext', () => {
  it('gives each in-app frame the lines around it, scrubbed', async () => {
    const report = await sourceContext()(fixtureReport());
    const top = report.error!.frames[0];
    expect(top.file).to.equal('spec/support/fixtures/sourceFixture.js');
    expect(top.context!.line).to.equal('  throw new Error(`card declined: ${note}`);');
    expect(top.context!.pre).to.have.length(5);
    expect(top.context!.pre[0]).to.equal("const apiKey = '********************';");
    expect(top.context!.post[0]).to.equal('}');
    expect(JSON.stringify(report)).not.to.include('fixture-hardcoded-key-7781');
  });

  it('honours contextLines (0 turns it off) and leaves the input report unchanged', async () => {
    const built = fixtureReport();
    const one = await sourceContext({ contextLines: 1 })(built);
    expect(one.error!.frames[0].context!.pre).to.deep.equal(['  const note = `charging ${amount} in ${region}`;']);
    expect(built.error!.frames[0].context).to.equal(undefined);
    const off = await sourceContext({ contextLines: 0 })(built);
    expect(off).to.equal(built);
  });

  it('never reads node_modules, files outside the root, non-source files or minified lines', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tripwire-source-'));
    try {
      writeFileSync(path.join(dir, '.env'), 'SECRET=outside-root-secret\n');
      writeFileSync(path.join(dir, 'app.min.js'), `${'x'.repeat(600)}\n`);
      const frames = [
        { file: path.join(dir, '.env'), line: 1, column: 1, function: 'forged', inApp: true },
        { file: path.join(dir, 'app.min.js'), line: 1, column: 1, function: 'min', inApp: true },
        { file: 'node_modules/koa/lib/application.js', line: 1, column: 1, function: 'lib', inApp: true },
        { file: '/etc/passwd', line: 1, column: 1, function: 'passwd', inApp: true },
      ];
      const enriched = await sourceContext({ root: dir })(sampleReport({ error: sampleError({ frames }) }));
      expect(enriched.error!.frames.map((f) => f.context)).to.deep.equal([undefined, undefined, undefined, undefined]);
      expect(JSON.stringify(enriched)).not.to.include('outside-root-secret');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('passes reports without an error through, and rejects bad options naming them', async () => {
    const report = sampleReport({ error: null });
    expect(await sourceContext()(report)).to.equal(report);
    expect(() => sourceContext({ contextLine: 3 } as never)).to.throw(TypeError, /did you mean `contextLines`/);
    expect(() => sourceContext({ contextLines: -1 })).to.throw(RangeError, /contextLines/);
  });
});
