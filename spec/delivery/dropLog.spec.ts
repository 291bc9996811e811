import { expect } from 'chai';
import { DropLog } from '../../lib/delivery/dropLog';
import { FakeClock } from '../support/fakeClock';
import { recordingLogger } from '../support/recordingLogger';

describe('DropLog', () => {
  it('logs the first drop at once, then one sum per interval, losing no count', async () => {
    const clock = new FakeClock();
    const logger = recordingLogger();
    const log = new DropLog(logger, 'errors', clock);
    log.dropped(1, 'queue full');
    expect(logger.lines).to.have.length(1);
    expect(logger.lines[0]).to.deep.include({ level: 'error', message: 'reports dropped' });
    expect(logger.lines[0].fields).to.deep.equal({ delivery: 'errors', dropped: 1, reason: 'queue full' });
    for (let i = 0; i < 500; i++) log.dropped(2, i % 2 ? 'queue full' : 'closed');
    expect(logger.lines, 'a storm is summed, not logged line by line').to.have.length(1);
    await clock.advance(10_000);
    expect(logger.lines).to.have.length(2);
    expect(logger.lines[1].fields).to.deep.equal({ delivery: 'errors', dropped: 1000, reason: 'queue full' });
  });

  it('writes nothing for a quiet interval or a count of zero, and logs at once again after one', async () => {
    const clock = new FakeClock();
    const logger = recordingLogger();
    const log = new DropLog(logger, 'links', clock);
    log.dropped(0, 'nothing');
    log.dropped(-3, 'nothing');
    expect(logger.lines).to.have.length(0);
    log.dropped(4, 'closed');
    await clock.advance(10_000);
    expect(logger.lines, 'no second line when nothing more was dropped').to.have.length(1);
    log.dropped(5, 'closed');
    expect(logger.lines).to.have.length(2);
    expect(logger.lines[1].fields).to.deep.include({ dropped: 5 });
  });
});
