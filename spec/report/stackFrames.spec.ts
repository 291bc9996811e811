import { expect } from 'chai';
import { isInApp, parseFrameLine, parseStack } from '../../lib/report/stackFrames';

describe('parseStack', () => {
  it('parses the frames of a real error, innermost first, skipping the message', () => {
    function throwHere(): Error {
      return new Error('first line\n    second line');
    }
    const frames = parseStack(throwHere().stack!, 50);
    expect(frames[0].function).to.equal('throwHere');
    expect(frames[0].file).to.equal(__filename);
    expect(frames[0].line).to.be.a('number');
    expect(frames[0].column).to.be.a('number');
    expect(frames[0].inApp).to.equal(true);
  });

  it('keeps at most maxFrames frames', () => {
    const stack = ['Error: x', ...Array.from({ length: 10 }, (_, i) => `    at f${i} (/app/a.js:${i + 1}:1)`)].join('\n');
    const frames = parseStack(stack, 3);
    expect(frames.map((frame) => frame.function)).to.deep.equal(['f0', 'f1', 'f2']);
  });

  it('reads the V8 frame shapes', () => {
    expect(parseFrameLine('    at Foo.bar (/app/lib/foo.js:10:5)')).to.deep.equal({
      file: '/app/lib/foo.js', line: 10, column: 5, function: 'Foo.bar', inApp: true,
    });
    expect(parseFrameLine('    at /app/index.js:3:7')).to.deep.equal({
      file: '/app/index.js', line: 3, column: 7, function: null, inApp: true,
    });
    expect(parseFrameLine('    at async handler (/app/routes.js:8:2)')).to.include({ function: 'handler', file: '/app/routes.js' });
    expect(parseFrameLine('    at new Store (/app/store.js:1:2)')).to.include({ function: 'new Store' });
    expect(parseFrameLine('    at Array.map (<anonymous>)')).to.deep.equal({
      file: null, line: null, column: null, function: 'Array.map', inApp: false,
    });
    expect(parseFrameLine('    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)')).to.include({
      file: 'node:internal/process/task_queues', inApp: false,
    });
    expect(parseFrameLine('    at dispatch (/app/node_modules/koa-compose/index.js:42:32)')).to.include({ inApp: false });
    expect(parseFrameLine('    at main (file:///app/server.mjs:4:9)')).to.include({ file: '/app/server.mjs', line: 4, column: 9 });
    expect(parseFrameLine('    at eval (eval at run (/app/run.js:5:3), <anonymous>:1:1)')).to.include({
      function: 'eval', file: '/app/run.js', line: 5, column: 3,
    });
    expect(parseFrameLine('    at C:\\app\\win.js:2:4')).to.include({ file: 'C:\\app\\win.js', line: 2, column: 4 });
    expect(parseFrameLine('Error: not a frame')).to.equal(null);
  });

  it('treats node_modules, node: internals and missing files as not in the app', () => {
    expect(isInApp('/app/lib/a.js')).to.equal(true);
    expect(isInApp('/app/node_modules/x/a.js')).to.equal(false);
    expect(isInApp('C:\\app\\node_modules\\x\\a.js')).to.equal(false);
    expect(isInApp('node:internal/timers')).to.equal(false);
    expect(isInApp(null)).to.equal(false);
  });
});
