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
    const growth = (unit: string) => cost(unit.repeat(262_144 / unit.length)) / cost(unit.repeat(32_768 / unit.length));
    // Eight times the input: a linear cost grows about 8× (plain text's, or more on a
    // noisy machine), a quadratic one about 64×.
    const linear = Math.max(8, growth('ab\x01c'));
    for (const unit of [`${ESC}[1;`, `${ESC}]x`, '\x9b0', `${ESC}[`]) expect(growth(unit), JSON.stringify(unit)).to.be.below(3 * linear);
  });
});
