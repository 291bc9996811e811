import { expect } from 'chai';
import { codeOf, messageOf } from '../../lib/core/errors';
import { groupKey } from '../../lib/core/groupKey';
import { isPlainObject } from '../../lib/core/isPlainObject';
import { consoleLogger, isLogger, silentLogger } from '../../lib/core/logger';
import { isClock, realClock } from '../../lib/core/clock';

describe('core kernel', () => {
  it('messageOf and codeOf never throw, whatever was thrown', () => {
    const hostile = new Proxy({}, { get() { throw new Error('trap'); } });
    const badString = { toString() { throw new Error('no'); } };
    expect(messageOf(new Error('boom'))).to.equal('boom');
    expect(messageOf('text')).to.equal('text');
    expect(messageOf(badString)).to.equal('[unprintable error]');
    expect(codeOf({ code: 11000 })).to.equal(11000);
    expect(codeOf({ code: 'E' })).to.equal(null);
    expect(codeOf(hostile)).to.equal(null);
    expect(codeOf(null)).to.equal(null);
  });

  it('groupKey keeps kinds apart', () => {
    expect(groupKey('error', 'ab')).to.not.equal(groupKey('brokenLink', 'ab'));
    expect(groupKey('error', 'ab')).to.equal(groupKey('error', 'ab'));
  });

  it('isPlainObject accepts literals and null-prototype objects only', () => {
    expect(isPlainObject({})).to.equal(true);
    expect(isPlainObject(Object.create(null))).to.equal(true);
    expect(isPlainObject([])).to.equal(false);
    expect(isPlainObject(new Date())).to.equal(false);
    expect(isPlainObject(new Map())).to.equal(false);
    expect(isPlainObject(null)).to.equal(false);
  });

  it('recognises loggers and clocks', () => {
    expect(isLogger(consoleLogger)).to.equal(true);
    expect(isLogger(silentLogger)).to.equal(true);
    expect(isLogger({ info() {} })).to.equal(false);
    expect(isClock(realClock)).to.equal(true);
    expect(isClock({ now: () => 0 })).to.equal(false);
  });

  it('the real clock never keeps the process alive', () => {
    const timer = realClock.setTimeout(() => undefined, 60_000) as NodeJS.Timeout;
    expect(timer.hasRef()).to.equal(false);
    realClock.clearTimeout(timer);
  });
});
