import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RootFiles } from '../../lib/report/sourceFiles';
import { mappedFrame, SourceMaps } from '../../lib/report/sourceMaps';
import { compileOrdersApp, ordersAppCopy, runOrdersApp, type OrdersOutcome } from '../support/ordersApp';

const THROW_LINE = 15; // of spec/support/fixtures/ordersApp/src/orders.ts
const THROW_TEXT = '    throw new Error(`order ${id}: item ${item} is out of stock`);';

/** The line and column of `needle` in the compiled file, 1-based. */
function positionOf(file: string, needle: string): [number, number] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const line = lines.findIndex((text) => text.includes(needle));
  return [line + 1, lines[line].indexOf(needle) + 1];
}

describe('source maps: a TypeScript app compiled by tsc, run without --enable-source-maps', function () {
  this.timeout(180_000);
  let dir: string;
  let first: OrdersOutcome;
  let rebuilt: OrdersOutcome;

  before(async () => {
    dir = ordersAppCopy('tripwire-ts-');
    await compileOrdersApp(dir);
    first = await runOrdersApp(dir, 'dist/orders.js');
    // A rebuild that only moves compiled lines (comments dropped), with the map inlined this time.
    await compileOrdersApp(dir, ['--removeComments', '--sourceMap', 'false', '--inlineSourceMap', '--inlineSources']);
    rebuilt = await runOrdersApp(dir, 'dist/orders.js');
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reports the .ts file, the TypeScript line and the TypeScript source context', () => {
    expect(first.status).to.equal(500);
    expect(first.reports).to.have.length(1);
    const [top] = first.reports[0].error!.frames;
    expect(top).to.include({ file: 'src/orders.ts', line: THROW_LINE, inApp: true, mapped: true });
    expect(top.context!.line).to.equal(THROW_TEXT);
    expect(top.context!.pre.at(-1)).to.equal('  order.items.forEach((item: string) => {');
    expect(first.culprits[0]).to.equal(`src/orders.ts:${THROW_LINE}:11`);
    expect(first.reports[0].grouping).to.deep.include({ rule: 'frames' });
    expect(first.reports[0].grouping!.detail).to.include(`src/orders.ts:${THROW_LINE} <anonymous>`);
  });

  it('keeps the fingerprint when a rebuild only moves the compiled lines', () => {
    const jsLine = (outcome: OrdersOutcome) => /dist\/orders\.js:(\d+):/.exec(outcome.reports[0].error!.stack!)![1];
    expect(jsLine(rebuilt), 'the compiled line moved').to.not.equal(jsLine(first));
    expect(rebuilt.reports[0].error!.frames[0]).to.include({ file: 'src/orders.ts', line: THROW_LINE, mapped: true });
    expect(rebuilt.reports[0].error!.frames[0].context!.line, 'from the inlined sourcesContent').to.equal(THROW_TEXT);
    expect(rebuilt.reports[0].fingerprint).to.equal(first.reports[0].fingerprint);
  });
});

describe('SourceMaps', function () {
  this.timeout(120_000);
  let dir: string;

  before(async () => {
    dir = ordersAppCopy('tripwire-maps-');
    await compileOrdersApp(dir);
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('maps a compiled position through the map tsc wrote beside the file', async () => {
    const compiled = path.join(dir, 'dist', 'orders.js');
    const [line, column] = positionOf(compiled, 'throw new Error');
    const original = await new SourceMaps(new RootFiles(dir, 1 << 20), 10).original(compiled, line, column, dir);
    expect(original).to.include({ file: path.join(dir, 'src', 'orders.ts'), line: THROW_LINE, column: 5, shown: 'src/orders.ts', inApp: true });
    expect(original!.lines, 'no sourcesContent: the context is read from src/orders.ts').to.equal(null);
    const frame = mappedFrame({ file: 'dist/orders.js', line, column, function: null, inApp: true }, original);
    expect(frame).to.deep.equal({ file: 'src/orders.ts', line: THROW_LINE, column: 5, function: null, inApp: true, mapped: true });
  });

  it("uses the map Node kept for a module loaded with maps enabled, even once the file's map is gone", async () => {
    const compiled = path.join(dir, 'dist', 'orders.js');
    // This process runs with source maps enabled (tsx), so Node keeps the module's map.
    const loaded = require(compiled) as { loadOrder(id: string): Promise<unknown> };
    expect(loaded.loadOrder).to.be.a('function');
    const [line, column] = positionOf(compiled, 'throw new Error');
    unlinkSync(`${compiled}.map`);
    const original = await new SourceMaps(new RootFiles(dir, 1 << 20), 10).original(compiled, line, column);
    expect(original).to.include({ file: path.join(dir, 'src', 'orders.ts'), line: THROW_LINE });
  });

  it('never reads a map outside the root, through a link, or one that does not parse; leaves the frame as it was', async () => {
    const outside = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'tripwire-outside-')));
    try {
      const lib = path.join(dir, 'lib');
      mkdirSync(lib);
      writeFileSync(path.join(outside, 'x.js.map'), JSON.stringify({ version: 3, sources: ['x.ts'], names: [], mappings: 'AAAA' }));
      writeFileSync(path.join(lib, 'far.js'), `throw 1;\n//# sourceMappingURL=${path.relative(lib, path.join(outside, 'x.js.map'))}\n`);
      symlinkSync(path.join(outside, 'x.js.map'), path.join(lib, 'linked.js.map'));
      writeFileSync(path.join(lib, 'linked.js'), 'throw 1;\n//# sourceMappingURL=linked.js.map\n');
      writeFileSync(path.join(lib, 'broken.js.map'), '{ not json');
      writeFileSync(path.join(lib, 'broken.js'), 'throw 1;\n//# sourceMappingURL=broken.js.map\n');
      writeFileSync(path.join(lib, 'data.js'), 'throw 1;\n//# sourceMappingURL=data:application/json;base64,bm90IGEgbWFw\n');
      const maps = new SourceMaps(new RootFiles(dir, 1 << 20), 10);
      for (const name of ['far.js', 'linked.js', 'broken.js', 'data.js']) {
        expect(await maps.original(path.join(lib, name), 1, 1), name).to.equal(null);
      }
      const frame = { file: 'lib/broken.js', line: 1, column: 1, function: null, inApp: true };
      expect(mappedFrame(frame, null)).to.equal(frame);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('keeps a bounded number of maps, least recently used going first', async () => {
    const lib = path.join(dir, 'many');
    mkdirSync(lib);
    const payload = (n: number) => Buffer.from(JSON.stringify({ version: 3, sources: [`m${n}.ts`], names: [], mappings: 'AAAA' })).toString('base64');
    for (let n = 0; n < 4; n++) writeFileSync(path.join(lib, `m${n}.js`), `x;\n//# sourceMappingURL=data:application/json;base64,${payload(n)}\n`);
    const maps = new SourceMaps(new RootFiles(dir, 1 << 20), 2);
    for (let n = 0; n < 4; n++) expect((await maps.original(path.join(lib, `m${n}.js`), 1, 1))!.file).to.equal(path.join(lib, `m${n}.ts`));
    // m0 was evicted: changing it on disk now shows, while m3 (kept) still answers from memory.
    writeFileSync(path.join(lib, 'm0.js'), 'x;\n');
    writeFileSync(path.join(lib, 'm3.js'), 'x;\n');
    expect(await maps.original(path.join(lib, 'm0.js'), 1, 1)).to.equal(null);
    expect((await maps.original(path.join(lib, 'm3.js'), 1, 1))!.file).to.equal(path.join(lib, 'm3.ts'));
  });
});
