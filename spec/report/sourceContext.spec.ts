import { expect } from 'chai';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildErrorReport } from '../../lib/report/buildErrorReport';
import { reportOptions } from '../../lib/report/reportOptions';
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
    expect(off.error!.frames.map((frame) => frame.context)).to.deep.equal(built.error!.frames.map(() => undefined));
    expect(await sourceContext({ contextLines: 0, sourceMaps: false })(built)).to.equal(built);
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

  it('reads a file only when its name and its real target are sources inside the root (a link lib/x.js → ../.env is not read)', async () => {
    const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'tripwire-source-')));
    const outside = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'tripwire-outside-')));
    try {
      mkdirSync(path.join(dir, 'lib'));
      writeFileSync(path.join(dir, '.env'), 'SECRET=linked-env-secret\n');
      writeFileSync(path.join(outside, 'other.js'), 'const outsideCode = 1;\n');
      writeFileSync(path.join(dir, 'lib', 'real.js'), 'const shown = 1;\n');
      symlinkSync('../.env', path.join(dir, 'lib', 'x.js'));
      symlinkSync(path.join(outside, 'other.js'), path.join(dir, 'lib', 'away.js'));
      symlinkSync('real.js', path.join(dir, 'lib', 'alias.js'));
      const frame = (name: string) => ({ file: path.join(dir, 'lib', name), line: 1, column: 1, function: 'f', inApp: true });
      const frames = ['x.js', 'away.js', 'alias.js'].map(frame);
      const enriched = await sourceContext({ root: dir })(sampleReport({ error: sampleError({ frames }) }));
      expect(enriched.error!.frames.map((f) => f.context?.line)).to.deep.equal([undefined, undefined, 'const shown = 1;']);
      expect(JSON.stringify(enriched)).not.to.include('linked-env-secret');
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('maps frames through an inline source map, groups again by the mapped frames, and keeps a fingerprint the app chose', async () => {
    // Inside the app's root (the working directory), where in-app frames live; .cache/ is ignored by git.
    mkdirSync(path.join(process.cwd(), '.cache'), { recursive: true });
    const dir = mkdtempSync(path.join(process.cwd(), '.cache', 'spec-mapped-'));
    try {
      // Line 2 of app.js comes from line 7 of app.ts (";AAMA": nothing on line 1, then source 0, line +6, column 0).
      const map = { version: 3, sources: ['app.ts'], sourcesContent: [['// one', '// two', '// three', '// four', '// five', '// six', 'fail(token);', '// eight'].join('\n')], names: [], mappings: ';AAMA' };
      writeFileSync(path.join(dir, 'app.js'), `"use strict";\nfail(token);\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}\n`);
      const frames = [{ file: path.join(dir, 'app.js'), line: 2, column: 1, function: 'handler', inApp: true }];
      const built = sampleReport({ error: sampleError({ frames }), fingerprint: 'unmapped', grouping: { rule: 'frames', detail: 'app.js handler' } });
      const enriched = await sourceContext({ root: dir, contextLines: 1 })(built);
      const [top] = enriched.error!.frames;
      expect(top).to.include({ line: 7, column: 1, mapped: true, function: 'handler' });
      expect(top.file).to.equal(`${path.relative(process.cwd(), dir)}/app.ts`);
      expect(top.context).to.deep.equal({ pre: ['// six'], line: 'fail(token);', post: ['// eight'] });
      expect(enriched.fingerprint).to.not.equal('unmapped');
      expect(enriched.grouping!.detail).to.match(/app\.ts handler$/);
      const custom = await sourceContext({ root: dir })({ ...built, grouping: { rule: 'custom', detail: 'custom fingerprint (err.fingerprint)' } });
      expect(custom.error!.frames[0].mapped).to.equal(true);
      expect(custom.fingerprint).to.equal('unmapped');
      const off = await sourceContext({ root: dir, sourceMaps: false })(built);
      expect(off.error!.frames[0].line).to.equal(2);
      expect(off.error!.frames[0].mapped).to.equal(undefined);
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
