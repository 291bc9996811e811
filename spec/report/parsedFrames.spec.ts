import { expect } from 'chai';
import { copyFrames, framesOrigin, parsedFrames } from '../../lib/report/parsedFrames';

const lines = (site: number) => `\n    at handler (${process.cwd()}/lib/routes/items.ts:${site}:7)\n    at dispatch (${process.cwd()}/node_modules/koa-compose/index.js:42:32)`;

describe('parsedFrames', () => {
  it('parses the frame lines of a throw site once, app-relative, and remembers them for an equal fresh text', () => {
    const first = parsedFrames(lines(12), 50);
    expect(first.frames).to.deep.equal([
      { file: 'lib/routes/items.ts', line: 12, column: 7, function: 'handler', inApp: true },
      { file: 'node_modules/koa-compose/index.js', line: 42, column: 32, function: 'dispatch', inApp: false },
    ]);
    expect(first.relative).to.equal('\n    at handler (lib/routes/items.ts:12:7)\n    at dispatch (node_modules/koa-compose/index.js:42:32)');
    expect(parsedFrames(`${lines(12)} `.slice(0, lines(12).length), 50).frames, 'remembered').to.equal(first.frames);
    expect(parsedFrames(lines(13), 50).frames[0].line).to.equal(13);
    expect(parsedFrames(lines(12), 1).frames).to.have.length(1);
    expect(parsedFrames('', 50)).to.deep.equal({ frames: [], relative: '' });
  });

  it('hands out copies, and knows which parse an untouched copy came from', () => {
    const { frames } = parsedFrames(lines(20), 50);
    const copies = copyFrames(frames);
    expect(copies).to.deep.equal(frames);
    expect(copies[0]).to.not.equal(frames[0]);
    expect(framesOrigin(copies)).to.equal(frames);
    expect(framesOrigin(frames.map((frame) => ({ ...frame }))), 'not a copy it made').to.equal(undefined);
  });

  it('remembers the origins of its latest 32 copies only (older ones are walked again by the filter)', () => {
    const { frames } = parsedFrames(lines(21), 50);
    const old = copyFrames(frames);
    const recent = Array.from({ length: 31 }, () => copyFrames(frames));
    expect(framesOrigin(old)).to.equal(frames);
    copyFrames(frames);
    expect(framesOrigin(old)).to.equal(undefined);
    expect(framesOrigin(recent[0])).to.equal(frames);
    expect(framesOrigin(copyFrames([]))).to.equal(undefined);
  });

  it('no longer answers once a copy was changed in any way', () => {
    const { frames } = parsedFrames(lines(30), 50);
    const changed = copyFrames(frames);
    changed[0].function = 'token=planted';
    expect(framesOrigin(changed)).to.equal(undefined);
    const extended = copyFrames(frames);
    (extended[1] as unknown as Record<string, unknown>).context = { pre: ['password=planted'] };
    expect(framesOrigin(extended)).to.equal(undefined);
    const shortened = copyFrames(frames);
    shortened.pop();
    expect(framesOrigin(shortened)).to.equal(undefined);
    const replaced = copyFrames(frames);
    (replaced as unknown[])[0] = null;
    expect(framesOrigin(replaced)).to.equal(undefined);
  });
});
