// An app that stops by closing its server and nothing else (no tripwire.close()), for
// the spec that such a process exits by itself (spec/stack.spec.ts). stack() takes its
// defaults from the environment: MONGODB_URI is the test server. Run with
//   node --require tsx/cjs spec/support/closedServerProcess.ts   (cwd: a temporary directory, for the outbox)
// It prints "served <status>" after its one request and "closed" once the server is closed;
// the process must then end on its own, with the report stored.
import Koa from 'koa';
import type { AddressInfo } from 'node:net';
import http from 'node:http';
import { silentLogger, stack } from '../../lib';

const tripwire = stack({ errors: { logger: silentLogger, notifiers: [] }, brokenLinks: { logger: silentLogger, notifiers: [] } });
const app = new Koa();
app.silent = true;
app.use(tripwire);
app.use((ctx) => {
  if (ctx.path === '/api/crash') throw new Error('closed-server drill');
});

const server = app.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  http.get({ host: '127.0.0.1', port, path: '/api/crash', agent: false }, (res) => {
    res.resume();
    res.on('end', () => {
      console.log(`served ${res.statusCode}`);
      // Let the report reach MongoDB, as a running app would, then stop taking requests.
      void tripwire.flush().then(() => server.close(() => console.log('closed')));
    });
  });
});
