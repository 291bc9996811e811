// Koa + koa-tripwire's stack(), configured from the environment like an app would be:
// MONGODB_URI → MongoStore, SLACK_WEBHOOK_URL → SlackNotifier; unset → store null / no
// notifiers. Logs go to silentLogger so they don't weigh on the figures. The delivery
// outbox (where reports wait while MongoDB is unreachable) goes to BENCH_OUTBOX_DIR, a
// directory the runner creates and removes, never into the checkout: an outbox left
// behind would be replayed by the next server and load its measurement.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoStore, silentLogger, SlackNotifier, stack } from 'koa-tripwire';
import { batchedUuid } from '../support/batchedUuid';
import { benchApp, benchRouter, serve } from './serve';

const uri = process.env.MONGODB_URI?.trim();
const webhookUrl = process.env.SLACK_WEBHOOK_URL?.trim();

const store = uri ? new MongoStore({ uri, logger: silentLogger }) : null;
const slack = webhookUrl ? new SlackNotifier({ webhookUrl, logger: silentLogger }) : null;

const givenOutbox = process.env.BENCH_OUTBOX_DIR?.trim();
const outboxDir = givenOutbox || mkdtempSync(path.join(os.tmpdir(), 'tripwire-bench-outbox-'));

// The alert window (default 10 min: one alert per issue, then one digest per window).
// The bench shortens it for its Slack rows so that Slack is sent a digest every window
// throughout a measurement, not just the one first alert during the warm-up.
const windowMs = process.env.BENCH_ALERT_WINDOW_MS ? Number(process.env.BENCH_ALERT_WINDOW_MS) : undefined;
// "all": every occurrence stored as its own event (eventsPerMinute null), the worst case
// for the store; unset: the default per-issue limit.
const eventsPerMinute = process.env.BENCH_EVENTS === 'all' ? null : undefined;

// BENCH_REQUEST_ID=batched: the request ids the suite once minted from a batch (see
// support/batchedUuid.ts), for the happy path's row comparing it with randomUUID().
const requestId = process.env.BENCH_REQUEST_ID === 'batched' ? { generate: batchedUuid } : {};

const tripwire = stack({
  requestId,
  errors: { store, notifiers: slack ? [slack] : [], logger: silentLogger, delivery: { outboxDir, eventsPerMinute }, windowMs },
  // As an app would have it: the broken-link reporter on too (no 404s happen in the bench).
  brokenLinks: { store, notifiers: [], logger: silentLogger, delivery: { outboxDir: path.join(outboxDir, 'broken-links') } },
});

const app = benchApp();
const router = benchRouter();
app.use(tripwire);
app.use(router.routes());
app.use(router.allowedMethods());
serve(app, 'tripwire', {
  info: () => ({ store: store ? 'MongoStore' : null, windowMs: windowMs ?? 'default', events: eventsPerMinute === null ? 'all' : 'default limit', outboxDir, slack: slack ? { ...slack.stats } : null }),
  close: async () => {
    await tripwire.close(500);
    if (!givenOutbox) rmSync(outboxDir, { recursive: true, force: true });
  },
});
