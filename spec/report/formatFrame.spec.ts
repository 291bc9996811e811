import { expect } from 'chai';
import { formatFrame, topFrame } from '../../lib/report/formatFrame';
import type { StackFrame } from '../../lib/report/Report';

const frame = (overrides: Partial<StackFrame>): StackFrame => ({ file: 'lib/a.ts', line: 3, column: 7, function: 'load', inApp: true, ...overrides });

describe('formatFrame', () => {
  it('writes "function (file:line:column)", leaving out what is unknown', () => {
    expect(formatFrame(frame({}))).to.equal('load (lib/a.ts:3:7)');
    expect(formatFrame(frame({ function: null }))).to.equal('lib/a.ts:3:7');
    expect(formatFrame(frame({ file: null, line: null, column: null }))).to.equal('load (<unknown>)');
  });

  it('picks the top in-app frame, else the first', () => {
    const lib = frame({ file: 'node_modules/x/i.js', inApp: false });
    expect(topFrame([lib, frame({ function: 'mine' })])!.function).to.equal('mine');
    expect(topFrame([lib])).to.equal(lib);
    expect(topFrame([])).to.equal(null);
  });
});
