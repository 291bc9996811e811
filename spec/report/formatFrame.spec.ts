import { expect } from 'chai';
import { formatFrame } from '../../lib/report/formatFrame';

describe('formatFrame', () => {
  it('formats frames with and without a function name', () => {
    expect(formatFrame({ file: '/a.js', line: 3, column: 9, function: 'run', inApp: true })).to.equal('run (/a.js:3:9)');
    expect(formatFrame({ file: '/a.js', line: 3, column: null, function: null, inApp: true })).to.equal('/a.js:3');
    expect(formatFrame({ file: null, line: null, column: null, function: 'eval', inApp: false })).to.equal('eval (<unknown>)');
  });
});
