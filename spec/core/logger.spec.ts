import { expect } from 'chai';
import { consoleLogger, isLogger, silentLogger } from '../../lib/core/logger';

describe('core/logger', () => {
  it('recognises loggers', () => {
    expect(isLogger(consoleLogger)).to.equal(true);
    expect(isLogger(silentLogger)).to.equal(true);
    expect(isLogger({ info() {} })).to.equal(false);
  });
});
