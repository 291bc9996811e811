// A process that leaves deliveries busy with every timer they set (outage backoff, save
// deadline, notifier deadline, alert digests, the rate limit's tally, the drop log) and
// never closes them: it must still exit by itself (spec/delivery/Delivery.spec.ts).
// Run: node --require tsx/cjs spec/support/idleDeliveryProcess.ts <outboxDir>
import { Delivery } from '../../lib/delivery/Delivery';
import { silentLogger } from '../../lib/core/logger';
import { SpecStore } from './specStore';
import { RecordingNotifier } from './recordingNotifier';
import { makeReport } from './reports';

const outboxDir = process.argv[2];
const HOUR = 3_600_000;
const down = new SpecStore();
down.down = true;
const outage = new Delivery({
  name: 'outage', store: down, notifiers: [new RecordingNotifier('hanging', 'hang')], outboxDir, logger: silentLogger,
  eventsPerMinute: 1, windowMs: HOUR, notifyTimeoutMs: HOUR, retry: { baseMs: HOUR, maxMs: HOUR },
});
const hung = new Delivery({ name: 'hung', store: new SpecStore({ gated: true }), outboxDir, logger: silentLogger, saveTimeoutMs: HOUR });
const overflowing = new Delivery({ name: 'overflow', store: null, maxQueue: 1, logger: silentLogger });

for (let i = 0; i < 3; i++) outage.accept(makeReport({ fingerprint: 'idle' }));
hung.accept(makeReport({ fingerprint: 'hung' }));
for (let i = 0; i < 3; i++) overflowing.accept(makeReport({ fingerprint: 'overflow' }));
// The process's own last timer: once it has run, only the deliveries' timers are left.
setTimeout(() => {
  // Past eventsPerMinute again: a tally waits for its timer.
  outage.accept(makeReport({ fingerprint: 'idle' }));
  console.log(`left running ${JSON.stringify(outage.stats)}`);
}, 500);
