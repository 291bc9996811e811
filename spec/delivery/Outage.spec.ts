import { expect } from 'chai';
import { Outage } from '../../lib/delivery/Outage';
import { recordingLogger } from '../support/recordingLogger';

describe('Outage', () => {
  it('logs the start of an outage once however many saves fail, and its end once', () => {
    const logger = recordingLogger();
    const outage = new Outage(logger, 'errors');
    outage.recovered();
    outage.failed(new Error('connection refused'));
    outage.failed(new Error('connection refused'));
    expect(outage.active).to.equal(true);
    outage.recovered();
    outage.recovered();
    expect(outage.active).to.equal(false);
    expect(logger.lines.map((l) => [l.level, l.message])).to.deep.equal([
      ['error', 'store unavailable; parking reports in the outbox until it answers'],
      ['info', 'store is back; replaying the outbox'],
    ]);
  });

  it('after silence() (close), failing saves are not news', () => {
    const logger = recordingLogger();
    const outage = new Outage(logger, 'errors');
    outage.silence();
    outage.failed(new Error('store closed'));
    expect(outage.active).to.equal(false);
    expect(logger.lines).to.deep.equal([]);
  });
});
