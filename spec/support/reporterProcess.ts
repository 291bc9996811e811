// A reporter app in its own process, for the process-kill drills (spec/drills/processKill.spec.ts).
// Run: node --require tsx/cjs spec/support/reporterProcess.ts, with
//   DRILL_MONGO_URI    where MongoStore connects (a closed port makes MongoDB unreachable)
//   DRILL_OUTBOX_DIR   the delivery outbox, shared by the processes of one drill
//   DRILL_BATCH_SIZE   delivery batch size (default 100)
//   DRILL_GROUPS       distinct fingerprints the route spreads its errors over (default 10)
//   DRILL_CLOSE_MS     deadline given to tripwire.close() on SIGTERM (default 10000)
//   DRILL_LIFETIME_MS  the process exits by itself after this long, so a broken drill never leaves it behind
// Prints "ready <port>" once it listens on 127.0.0.1, and "closed" after a SIGTERM shutdown.
import Router from '@koa/router';
import Koa from 'koa';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MongoStore, silentLogger, stack } from '../../lib';

const env = process.env;
const uri = required('DRILL_MONGO_URI');
const outboxDir = required('DRILL_OUTBOX_DIR');
const batchSize = Number(env.DRILL_BATCH_SIZE ?? 100);
const groups = Number(env.DRILL_GROUPS ?? 10);
const closeMs = Number(env.DRILL_CLOSE_MS ?? 10_000);
const lifetimeMs = Number(env.DRILL_LIFETIME_MS ?? 120_000);

function required(name: string): string {
  const value = env[name];
  if (!value) {
    console.error(`reporterProcess: ${name} is required`);
    process.exit(2);
  }
  return value;
}

// A short server selection: an unreachable MongoDB fails a save quickly and the batch is parked.
const store = new MongoStore({ uri, serverSelectionTimeoutMS: 500, logger: silentLogger });
const tripwire = stack({
  errors: {
    store,
    notifiers: [],
    windowMs: 60 * 60_000,
    logger: silentLogger,
    delivery: { outboxDir, batchSize, retry: { baseMs: 50, maxMs: 500 } },
  },
  brokenLinks: false,
});

const app = new Koa();
app.silent = true;
app.use(tripwire);
const router = new Router();
router.get('/api/drill/:n', (ctx) => {
  const n = Number(ctx.params.n);
  throw Object.assign(new Error(`drill error ${n}`), { fingerprint: `process-drill-${n % groups}` });
});
app.use(router.routes()).use(router.allowedMethods());

const server = http.createServer(app.callback());
server.listen(0, '127.0.0.1', () => {
  console.log(`ready ${(server.address() as AddressInfo).port}`);
});

let stopping = false;
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  // Stop taking connections first (requests in progress finish), then let delivery
  // park whatever the store has not taken.
  server.close();
  server.closeIdleConnections();
  void (async () => {
    await tripwire.close(closeMs);
    await store.close();
    console.log('closed');
    process.exit(0);
  })();
});

setTimeout(() => {
  console.error(`reporterProcess: still running after ${lifetimeMs} ms; exiting`);
  process.exit(3);
}, lifetimeMs).unref();
