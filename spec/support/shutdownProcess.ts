// An app that shuts down exactly as the README shows, for spec/drills/shutdown.spec.ts:
//   process.once('SIGTERM', () => server.close(async () => { await tripwire.close(3000); … }))
// stack() takes its defaults from the environment: no MONGODB_URI (no store), and
// SLACK_WEBHOOK_URL pointing at the spec's Slack, which refuses. Run with
//   node --require tsx/cjs spec/support/shutdownProcess.ts   (cwd: a temporary directory)
// Prints "ready <port>" once it listens, then "after close" when the code after close() runs.
import Koa from 'koa';
import type { AddressInfo } from 'node:net';
import { stack } from '../../lib';

const tripwire = stack();
const app = new Koa();
app.silent = true;
app.use(tripwire);
app.use((ctx) => {
  if (ctx.path === '/api/crash') throw new Error('shutdown drill');
});

const server = app.listen(0, '127.0.0.1', () => {
  console.log(`ready ${(server.address() as AddressInfo).port}`);
});

process.once('SIGTERM', () => server.close(async () => {
  await tripwire.close(3000);
  console.log('after close');
}));
