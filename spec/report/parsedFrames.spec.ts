import { expect } from 'chai';
import path from 'node:path';
import { frameLine, parseStack, throwSite } from '../../lib/report/parsedFrames';

// Each V8 frame form as a report keeps it: file relative to the app root, in-app or not.
const FORMS: Array<[string, string, { function: string | null; file: string | null; line: number | null; inApp: boolean; async?: true }]> = [
  ['named call', 'at Foo.bar (/app/lib/foo.js:10:5)', { function: 'Foo.bar', file: 'lib/foo.js', line: 10, inApp: true }],
  ['top-level', 'at /app/index.js:3:7', { function: null, file: 'index.js', line: 3, inApp: true }],
  ['awaited call', 'at async handler (/app/routes.js:8:2)', { function: 'handler', file: 'routes.js', line: 8, inApp: true, async: true }],
  ['awaited, no name', 'at async /app/index.js:25:9', { function: null, file: 'index.js', line: 25, inApp: true, async: true }],
  ['constructor', 'at new Store (/app/store.js:1:2)', { function: 'new Store', file: 'store.js', line: 1, inApp: true }],
  ['Promise.all', 'at async Promise.all (index 0)', { function: 'Promise.all', file: null, line: null, inApp: false, async: true }],
  ['eval', 'at eval (eval at run (/app/run.js:5:3), <anonymous>:1:1)', { function: 'eval', file: 'run.js', line: 5, inApp: true }],
  ['node: internal', 'at process.processTicksAndRejections (node:internal/process/task_queues:95:5)', { function: 'process.processTicksAndRejections', file: 'node:internal/process/task_queues', line: 95, inApp: false }],
  ['ES module URL', 'at async file:///app/server.mjs:4:9', { function: null, file: 'server.mjs', line: 4, inApp: true, async: true }],
  ['dependency', 'at dispatch (/app/node_modules/koa-compose/index.js:42:32)', { function: 'dispatch', file: 'node_modules/koa-compose/index.js', line: 42, inApp: false }],
  ['dependency outside the root', 'at dispatch (/usr/lib/node_modules/koa/lib/application.js:1:1)', { function: 'dispatch', file: 'node_modules/koa/lib/application.js', line: 1, inApp: false }],
  ['file outside the root', 'at f (/srv/shared/x.js:1:1)', { function: 'f', file: '../srv/shared/x.js', line: 1, inApp: false }],
];

describe('parseStack', () => {
  for (const [form, line, expected] of FORMS) {
    it(`keeps ${form} app-relative: ${line}`, () => {
      const { frames } = parseStack(`Error: x\n    ${line}`, 'Error', 'x', 50, '/app');
      expect(frames).to.have.length(1);
      expect(frames[0]).to.include({ function: expected.function, file: expected.file, line: expected.line, inApp: expected.inApp });
      expect(frames[0].async).to.equal(expected.async);
    });
  }

  it('reads Windows stacks against a Windows root', () => {
    const { frames } = parseStack('Error: x\n    at h (C:\\app\\lib\\w.js:2:4)\n    at file:///C:/app/m.mjs:1:1', 'Error', 'x', 50, 'C:\\app');
    expect(frames.map((f) => [f.file, f.inApp])).to.deep.equal([['lib/w.js', true], ['m.mjs', true]]);
  });

  it("never counts this library's own files as the app's, even run from inside the root", () => {
    const own = path.resolve(__dirname, '../../lib/stack.ts');
    const { frames } = parseStack(`Error: x\n    at fail (${own}:3:1)`, 'Error', 'x', 50, path.resolve(__dirname, '../..'));
    expect(frames[0]).to.include({ file: 'lib/stack.ts', inApp: false });
    const outside = parseStack(`Error: x\n    at fail (${own}:3:1)`, 'Error', 'x', 50, '/srv/app');
    expect(outside.frames[0]).to.include({ file: 'koa-tripwire/lib/stack.ts', inApp: false });
  });

  it('writes the frame text again from every frame, app-relative, and keeps at most maxFrames frames', () => {
    const lines = Array.from({ length: 12 }, (_, i) => `    at f${i} (/app/a.js:${i + 1}:1)`).join('\n');
    const parsed = parseStack(`Error: boom\n${lines}`, 'Error', 'boom', 3, '/app');
    expect(parsed.header).to.equal('Error: boom');
    expect(parsed.frames.map((f) => f.function)).to.deep.equal(['f0', 'f1', 'f2']);
    expect(parsed.text.split('\n    at ').slice(1)).to.have.length(12);
    expect(parsed.text).to.not.include('/app/');
    expect(parsed.text).to.include('\n    at f11 (a.js:12:1)');
  });

  it('yields no frames from a message holding frame lines', () => {
    const forged = new Error('unknown sort field: x\n    at fn7 (lib/keys.js:4:1)');
    const parsed = parseStack(forged.stack!, forged.name, forged.message, 50);
    expect(parsed.frames.map((f) => f.function)).not.to.include('fn7');
    expect(parsed.header).to.equal('Error: unknown sort field: x\n    at fn7 (lib/keys.js:4:1)');
    expect(parseStack(forged.stack!, 'Error', 'rewritten\n    at fn7 (lib/keys.js:4:1)', 50).frames).to.deep.equal([]);
  });
});

describe('frameLine', () => {
  it('prints a frame as V8 does', () => {
    expect(frameLine({ file: 'a.js', line: 1, column: 2, function: 'f', inApp: true, async: true })).to.equal('async f (a.js:1:2)');
    expect(frameLine({ file: null, line: null, column: null, function: 'Array.map', inApp: false })).to.equal('Array.map (<anonymous>)');
    expect(frameLine({ file: 'a.js', line: 1, column: null, function: null, inApp: true })).to.equal('a.js:1');
  });
});

describe('throwSite', () => {
  it('parses the frame lines of a throw site once and hands each report its own copies', () => {
    const lines = `\n    at handler (${process.cwd()}/lib/routes/items.ts:12:7)`;
    const site = throwSite(lines, 50);
    expect(throwSite(`${lines} `.slice(0, lines.length), 50), 'an equal fresh text').to.equal(site);
    expect(throwSite(lines, 1)).to.not.equal(site);
    const stack = `Error: x${lines}`;
    const [a, b] = [parseStack(stack, 'Error', 'x', 1), parseStack(stack, 'Error', 'x', 1)];
    expect(a.frames).to.deep.equal(b.frames);
    expect(a.frames[0]).to.not.equal(b.frames[0]);
    a.frames[0].function = 'changed by a consumer';
    expect(parseStack(stack, 'Error', 'x', 1).frames[0].function).to.equal('handler');
  });
});
