import { expect } from 'chai';
import { printable, printableFields } from '../../../lib/notifiers/console/printable';

const ESC = '\x1b';

describe('printable', () => {
  it('removes whole escape sequences (CSI, OSC, C1 CSI, two-character ESC) and every other control character', () => {
    expect(printable(`a${ESC}[1;31mb${ESC}[0mc`)).to.equal('abc');
    expect(printable(`a${ESC}]0;title\x07b${ESC}]8;;https://x\x1b\\c`)).to.equal('abc');
    expect(printable('a\x9b2Jb\x00c\x7fd\x85e\u202ef')).to.equal('abcd ef');
  });

  it('turns line breaks and tabs into a space, so a value never starts a line of its own', () => {
    expect(printable('one\ntwo\r\nthree\tfour\u2028five')).to.equal('one two  three four five');
  });

  it('leaves text without controls as it is, and makes every string of nested fields printable', () => {
    expect(printable('Ünïcödé 日本語 “ok” ✓')).to.equal('Ünïcödé 日本語 “ok” ✓');
    expect(printableFields({ a: `x${ESC}[2J`, b: [`y\n`, { c: `z${ESC}[K` }], n: 5 })).to.deep.equal({ a: 'x', b: ['y ', { c: 'z' }], n: 5 });
  });

  it('strips in linear time: unterminated escapes grow in cost as plain text does', () => {
    // The fastest of several runs, after a warm-up: what the work costs, not what the machine was doing.
    const cost = (text: string) => {
      printable(text);
      let best = Infinity;
      for (let i = 0; i < 7; i++) {
        const start = process.hrtime.bigint();
        printable(text);
        best = Math.min(best, Number(process.hrtime.bigint() - start));
      }
      return best;
    };
    const growth = (text: (length: number) => string) => cost(text(65_536)) / cost(text(2_048));
    const repeated = (unit: string) => (length: number) => unit.repeat(length / unit.length);
    // 32 times the input: a linear cost grows about 32× (a linear text of as many controls,
    // or more when the machine is busy), a quadratic one about 1,000×.
    const linear = Math.max(32, growth(repeated('ab\x01c')));
    const hostile: Record<string, (length: number) => string> = {
      'CSI runs': repeated(`${ESC}[1;`),
      'OSC runs': repeated(`${ESC}]x`),
      'C1 CSI runs': repeated('\x9b0'),
      'bare CSI': repeated(`${ESC}[`),
      'one CSI never terminated': (length) => `${ESC}[${'1;'.repeat(length / 2)}`,
      'one OSC never terminated': (length) => `${ESC}]${'x'.repeat(length)}`,
    };
    for (const [name, text] of Object.entries(hostile)) expect(growth(text), name).to.be.below(3 * linear);
  });
});
