import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Delivery } from '../../lib/delivery/Delivery';
import { enrichment } from '../../lib/delivery/enrichment';
import type { Report } from '../../lib/report/Report';
import { FakeClock } from '../support/fakeClock';
import { SpecStore } from '../support/specStore';
import { makeReport } from '../support/reports';
import { recordingLogger } from '../notifiers/recordingLogger';

const withContext = (report: Report): Report => ({ ...report, title: `${report.title} [enriched]` });

describe('enrichment', () => {
  it('without enrich, hands the report on as it is', async () => {
    const report = makeReport();
    expect(await enrichment(null, 1000, new FakeClock(), recordingLogger(), 'spec')(report)).to.equal(report);
  });

  it('applies enrich, sync or async', async () => {
    const logger = recordingLogger();
    const clock = new FakeClock();
    expect((await enrichment(withContext, 1000, clock, logger, 'spec')(makeReport({ title: 'a' }))).title).to.equal('a [enriched]');
    expect((await enrichment(async (r) => withContext(r), 1000, clock, logger, 'spec')(makeReport({ title: 'b' }))).title).to.equal('b [enriched]');
  });

  it('keeps the report as it was when enrich throws, rejects or returns something else, logging each kind of failure once', async () => {
    const logger = recordingLogger();
    const clock = new FakeClock();
    const throwing = enrichment(() => { throw new Error('source file unreadable'); }, 1000, clock, logger, 'spec');
    const first = makeReport();
    expect(await throwing(first)).to.equal(first);
    await throwing(makeReport());
    expect(await enrichment(async () => { throw new Error('nope'); }, 1000, clock, logger, 'spec')(first)).to.equal(first);
    expect(await enrichment(() => null as never, 1000, clock, logger, 'spec')(first)).to.equal(first);
    expect(logger.lines.map((l) => l.fields?.error)).to.deep.equal(['source file unreadable', 'nope', 'enrich returned something that is not a report']);
  });

  it('gives enrich a deadline on the clock, then goes on with the report as it was', async () => {
    const clock = new FakeClock();
    const logger = recordingLogger();
    const report = makeReport();
    let answer: Report | undefined;
    const enriching = enrichment(() => new Promise<Report>(() => undefined), 500, clock, logger, 'spec')(report).then((r) => { answer = r; });
    await clock.advance(499);
    expect(answer).to.equal(undefined);
    await clock.advance(1);
    await enriching;
    expect(answer).to.equal(report);
    expect(String(logger.lines[0].fields?.error)).to.match(/within 500 ms/);
  });

  it('runs in the worker before the save, off the request path', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tripwire-enrich-'));
    const store = new SpecStore();
    const seen: string[] = [];
    const saved: Report[] = [];
    const original = store.save.bind(store);
    store.save = async (reports) => { saved.push(...reports); return original(reports); };
    const d = new Delivery({ store, outboxDir: dir, logger: recordingLogger(), enrich: (r) => { seen.push(r.id); return withContext(r); } });
    try {
      const report = makeReport({ title: 'TypeError: boom' });
      d.accept(report);
      expect(seen, 'nothing runs inside accept()').to.deep.equal([]);
      await d.flush();
      expect(seen).to.deep.equal([report.id]);
      expect(saved.map((r) => r.title)).to.deep.equal(['TypeError: boom [enriched]']);
    } finally {
      await d.close(1000);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
