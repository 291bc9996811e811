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

  describe('what reaches the terminal', () => {
    const ESC = '\x1b';
    // Colours, clearing the screen, a window title (OSC), an OSC 8 link, a C1 CSI, a bell,
    // a backspace, a carriage return that rewrites the line, DEL, a bidi override, and a
    // newline that would forge a log line of its own.
    const hostile = `boom${ESC}[31mRED${ESC}[2J${ESC}]0;pwned\x07${ESC}]8;;https://evil.example\x07link${ESC}]8;;\x07\x9b1m\x07\b\rfake\x7f\u202e${ESC}c\n[koa-tripwire] forged line`;
    // eslint-disable-next-line no-control-regex
    const CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e]/;

    it('strips escape sequences and control characters from everything it prints', async () => {
      const logger = recordingLogger();
      const report = sampleErrorReport({
        title: `TypeError: ${hostile}`,
        error: { ...sampleErrorReport().error!, type: `Type${ESC}[0m`, message: hostile },
        request: { ...sampleErrorReport().request!, requestId: `req${ESC}[1A` },
        fingerprint: `fp${ESC}[K`,
      });
      await new ConsoleNotifier({ logger }).notify(report);
      expect(logger.lines).to.have.length(1);
      const printed = `${logger.lines[0].message} ${JSON.stringify(logger.lines[0].fields)}`;
      expect(logger.lines[0].message).not.to.match(CONTROL);
      expect(logger.lines[0].message).not.to.include('\n');
      for (const value of Object.values(logger.lines[0].fields!)) expect(String(value)).not.to.match(/[\x00-\x1f\x7f-\x9f]/);
      expect(printed).not.to.include(ESC);
      expect(logger.lines[0].message).to.include('boomRED');
      expect(logger.lines[0].message).to.include('link fake');
      expect(logger.lines[0].message).to.include(' [koa-tripwire] forged line');
    });

    it('strips them from a budget summary too, keeping only its own line breaks', async () => {
      const logger = recordingLogger();
      const notifier = new ConsoleNotifier({ logger, maxAlertsPerWindow: 1 });
      await notifier.notify(sampleErrorReport({ fingerprint: 'a' }));
      await notifier.notify(sampleErrorReport({ fingerprint: 'b', title: `held ${hostile}` }));
      await notifier.close();
      expect(logger.lines).to.have.length(2);
      const lines = logger.lines[1].message.split('\n');
      expect(lines).to.have.length(2);
      expect(lines[0]).to.equal('…and 1 more new issue in the last 1 s');
      expect(lines[1]).to.match(/^ {2}- held boomRED/);
      for (const line of lines) expect(line).not.to.match(CONTROL);
    });

    it('prints plain text as it is', async () => {
      const logger = recordingLogger();
      await new ConsoleNotifier({ logger }).notify(sampleErrorReport({ title: 'Ünïcödé: 日本語 — “quotes” ✓' }));
      expect(logger.lines[0].message).to.match(/^Error: Ünïcödé: 日本語 — “quotes” ✓ \(/);
    });
  });
});
