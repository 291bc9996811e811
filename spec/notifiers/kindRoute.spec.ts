import { expect } from 'chai';
import { Announcer } from '../../lib/delivery/Announcer';
import { MemoryLedger } from '../../lib/delivery/MemoryLedger';
import { PendingWork } from '../../lib/delivery/PendingWork';
import { zeroCounters } from '../../lib/delivery/stats';
import { silentLogger } from '../../lib/core/logger';
import { ConsoleNotifier } from '../../lib/notifiers/console/ConsoleNotifier';
import { kindRouteOf, onlyKinds } from '../../lib/notifiers/kindRoute';
import type { GroupOutcome } from '../../lib/contracts/store';
import type { Notifier } from '../../lib/contracts/notifier';
import type { Report } from '../../lib/report/Report';
import { randomBrokenLinks } from '../support/alertFlood';
import { FakeClock } from '../support/fakeClock';
import { RecordingNotifier } from '../support/recordingNotifier';
import { recordingLogger } from '../support/recordingLogger';
import { makeReport } from '../support/reports';

const firstOf = (report: Report): GroupOutcome =>
  ({ kind: report.kind, fingerprint: report.fingerprint, added: 1, count: 1, isNew: true, regressed: false });

/** Announces each report as the first of its group, through `notifiers`, and waits for the pipelines. */
async function announceAll(notifiers: Notifier[], reports: Report[]): Promise<void> {
  const clock = new FakeClock();
  const pending = new PendingWork();
  const ledger = new MemoryLedger({ clock });
  const a = new Announcer({
    name: 'spec', store: { save: async () => [], alertLedger: () => ledger }, notifiers, windowMs: { error: 60_000, 'broken-link': 60_000 }, notifyTimeoutMs: 1000,
    logger: silentLogger, clock, counters: zeroCounters(), pending,
  });
  await a.announceStored(reports.map(firstOf), reports);
  await pending.settled();
}

describe('kindRoute', () => {
  const errors = (n: number) => Array.from({ length: n }, (_, i) => makeReport({ fingerprint: `routed-${i}` }));

  it('onlyKinds: called directly, passes only its kinds, and the notifier\'s own filter still applies', async () => {
    const inner = new RecordingNotifier('inner', 'record', (report) => report.fingerprint !== 'refused');
    const routed = onlyKinds(inner, ['error']);
    const [link] = randomBrokenLinks(1);
    for (const report of [makeReport({ fingerprint: 'kept' }), makeReport({ fingerprint: 'refused' }), link]) await routed.notify(report);
    expect(inner.received.map((r) => r.fingerprint)).to.deep.equal(['kept']);
    expect(routed.accepts!(link)).to.equal(false);
    expect(kindRouteOf(routed).notifier).to.equal(inner);
    expect([...kindRouteOf(routed).kinds!]).to.deep.equal(['error']);
    expect(kindRouteOf(inner)).to.deep.equal({ notifier: inner, kinds: null });
  });

  it('through delivery, a notifier routed to errors keeps its own pipeline settings (its alert budget) and hears no broken link', async () => {
    // 30 new groups: past the default budget of 20 a window, under this notifier's own.
    const inner = new RecordingNotifier();
    await announceAll([onlyKinds(inner, ['error'])], [...errors(30), ...randomBrokenLinks(3)]);
    expect(inner.received.map((r) => r.alert?.reason)).to.deep.equal(Array.from({ length: 30 }, () => 'new'));
    expect(inner.received.every((r) => r.kind === 'error')).to.equal(true);
  });

  it('through delivery, a built-in notifier routed to errors is sent through its own pipeline, with its own budget', async () => {
    const logger = recordingLogger();
    const console = new ConsoleNotifier({ logger, maxAlertsPerWindow: 100 });
    await announceAll([onlyKinds(console, ['error'])], [...errors(30), ...randomBrokenLinks(3)]);
    // The built-in's own stats: no second pipeline (and budget) stood between delivery and it.
    expect(console.stats).to.include({ sent: 30, summarized: 0 });
  });
});
