import { expect } from 'chai';
import { FIRST_FRAME, framesStart, parseFrameLine, parseFrameLines } from '../../lib/report/stackFrames';

const frame = (fn: string | null, file: string | null, line: number | null, column: number | null, async = false) => ({ function: fn, file, line, column, async });

// Every frame form V8 prints (https://v8.dev/docs/stack-trace-api), as Node 20 prints it.
const FORMS: Array<[string, string, ReturnType<typeof frame>]> = [
  ['named call', '    at Foo.bar (/app/lib/foo.js:10:5)', frame('Foo.bar', '/app/lib/foo.js', 10, 5)],
  ['top-level, no name', '    at /app/index.js:3:7', frame(null, '/app/index.js', 3, 7)],
  ['awaited call', '    at async handler (/app/routes.js:8:2)', frame('handler', '/app/routes.js', 8, 2, true)],
  ['awaited, no name', '    at async /srv/app-1/index.js:25:9', frame(null, '/srv/app-1/index.js', 25, 9, true)],
  ['constructor', '    at new Store (/app/store.js:1:2)', frame('new Store', '/app/store.js', 1, 2)],
  ['aliased method', '    at Function.executeUserEntryPoint [as runMain] (node:internal/modules/run_main:164:12)', frame('Function.executeUserEntryPoint [as runMain]', 'node:internal/modules/run_main', 164, 12)],
  ['Promise.all index', '    at async Promise.all (index 0)', frame('Promise.all', null, null, null, true)],
  ['native, no location', '    at Array.map (<anonymous>)', frame('Array.map', null, null, null)],
  ['native keyword', '    at JSON.parse (native)', frame('JSON.parse', null, null, null)],
  ['eval', '    at eval (eval at run (/app/run.js:5:3), <anonymous>:1:1)', frame('eval', '/app/run.js', 5, 3)],
  ['nested eval', '    at eval (eval at a (eval at b (/app/e.js:9:8), <anonymous>:1:1), <anonymous>:2:2)', frame('eval', '/app/e.js', 9, 8)],
  ['node: internal, named', '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)', frame('process.processTicksAndRejections', 'node:internal/process/task_queues', 95, 5)],
  ['node: internal, no name', '    at node:internal/main/run_main_module:28:49', frame(null, 'node:internal/main/run_main_module', 28, 49)],
  ['ES module URL', '    at main (file:///app/server.mjs:4:9)', frame('main', '/app/server.mjs', 4, 9)],
  ['ES module URL, awaited, no name', '    at async file:///app/a%20b/x.mjs:2:1', frame(null, '/app/a b/x.mjs', 2, 1, true)],
  ['Windows path', '    at handler (C:\\app\\lib\\win.js:2:4)', frame('handler', 'C:\\app\\lib\\win.js', 2, 4)],
  ['Windows path, no name', '    at C:\\app\\win.js:2:4', frame(null, 'C:\\app\\win.js', 2, 4)],
  ['Windows file URL', '    at main (file:///C:/app/server.mjs:4:9)', frame('main', 'C:\\app\\server.mjs', 4, 9)],
  ['folder with parentheses', '    at f (/srv/app (copy)/x.js:1:2)', frame('f', '/srv/app (copy)/x.js', 1, 2)],
  ['REPL-like file', '    at [eval]:7:23', frame(null, '[eval]', 7, 23)],
];

describe('parseFrameLine', () => {
  for (const [form, line, expected] of FORMS) {
    it(`reads ${form}: ${line.trim()}`, () => {
      expect(parseFrameLine(line)).to.deep.equal(expected);
    });
  }

  it('reads no frame from a line that is not one', () => {
    for (const line of ['Error: not a frame', 'at x (/app/a.js:1:1)', '  at x (/app/a.js:1:1)', '']) expect(parseFrameLine(line), line).to.equal(null);
  });
});

describe('framesStart', () => {
  it('starts after the header written from the name and message (ECMA-262 Error.prototype.toString)', () => {
    const err = new TypeError('first line\n    second line');
    expect(framesStart(err.stack!, err.name, err.message)).to.equal('TypeError: first line\n    second line'.length);
    const bare = new Error();
    expect(framesStart(bare.stack!, bare.name, bare.message)).to.equal('Error'.length);
    const nameless = Object.assign(new Error('only message'), { name: '' });
    expect(framesStart(nameless.stack!, nameless.name, nameless.message)).to.equal('only message'.length);
  });

  it('finds no frame in a message holding frame lines, wherever it stands', () => {
    const forged = new Error('unknown sort field: x\n    at fn7 (lib/keys.js:4:1)');
    const start = framesStart(forged.stack!, forged.name, forged.message);
    expect(forged.stack!.indexOf(FIRST_FRAME), 'the first "at" is the forged one').to.be.lessThan(start);
    const frames = parseFrameLines(forged.stack!.slice(start), 50);
    expect(frames.map((f) => f.function)).not.to.include('fn7');
    expect(frames[0].file).to.equal(__filename);
  });

  it('with a stale header, trusts the first frame line only when the message cannot have supplied it', () => {
    const stack = 'Error: old text\n    at real (/app/a.js:1:1)';
    expect(framesStart(stack, 'Error', 'new text')).to.equal('Error: old text'.length);
    const forged = 'Error: x\n    at fnN (lib/keys.js:4:1)\n    at real (/app/a.js:1:1)';
    expect(framesStart(forged, 'Error', 'prefix: x\n    at fnN (lib/keys.js:4:1)')).to.equal(-1);
    expect(framesStart(forged, 'Error', 42)).to.equal(-1);
    expect(framesStart('Error: no frames', 'Error', 'no frames')).to.equal(-1);
  });
});

describe('parseFrameLines', () => {
  it('keeps at most max frames and stops at the first line that is not a frame', () => {
    const lines = ['', ...Array.from({ length: 10 }, (_, i) => `    at f${i} (/app/a.js:${i + 1}:1)`)].join('\n');
    expect(parseFrameLines(lines, 3).map((f) => f.function)).to.deep.equal(['f0', 'f1', 'f2']);
    const appended = '\n    at a (/app/a.js:1:1)\nCaused by: Error: x\n    at b (/app/b.js:1:1)';
    expect(parseFrameLines(appended, 50).map((f) => f.function)).to.deep.equal(['a']);
  });

  it('skips nothing it cannot bound: an overlong line ends the frames', () => {
    const lines = `\n    at a (/app/a.js:1:1)\n    at ${'x'.repeat(5000)} (/app/b.js:1:1)`;
    expect(parseFrameLines(lines, 50)).to.have.length(1);
  });
});
