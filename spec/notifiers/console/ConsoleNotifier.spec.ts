import { expect } from 'chai';
import { ConsoleNotifier } from '../../../lib/notifiers/console/ConsoleNotifier';
import { sampleBrokenLinkReport, sampleErrorReport } from '../../support/reports';
import { recordingLogger } from '../../support/recordingLogger';

describe('ConsoleNotifier', () => {
  it('logs one error line per alert with reason, count, request id and error', async () => {
    const logger = recordingLogger();
    await new ConsoleNotifier({ logger }).notify(sampleErrorReport({ alert: { reason: 'regression', suppressed: 0, windowMs: 600_000, count: 7 } }));

    expect(logger.lines).to.have.length(1);
    const [line] = logger.lines;
    expect(line.level).to.equal('error');
    expect(line.message).to.equal("Error: TypeError: Cannot read properties of undefined (reading 'id') (Regression: a resolved issue happened again, seen 7 times)");
    expect(line.fields).to.include({ requestId: 'req-7f3a', status: 500, error: "TypeError: Cannot read properties of undefined (reading 'id')" });
  });

  it('logs a broken link as a warning', async () => {
    const logger = recordingLogger();
    await new ConsoleNotifier({ logger }).notify(sampleBrokenLinkReport());

    expect(logger.lines).to.have.length(1);
    expect(logger.lines[0].level).to.equal('warn');
    expect(logger.lines[0].message).to.equal('Broken link: Broken INTERNAL link on shop.example.com (New issue, seen once)');
    expect(logger.lines[0].fields).to.include({ referer: 'https://shop.example.com/home', requestId: 'req-9b1c' });
  });

  it('exposes the filter as accepts() and validates its logger', () => {
    const notifier = new ConsoleNotifier({ logger: recordingLogger(), filter: { minStatus: 500 } });
    expect(notifier.accepts(sampleErrorReport())).to.equal(true);
    expect(notifier.accepts(sampleBrokenLinkReport())).to.equal(false);
    expect(() => new ConsoleNotifier({ logger: {} as never })).to.throw(TypeError, /logger/);
  });
});
