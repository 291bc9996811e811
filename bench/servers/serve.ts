// What every bench server shares: the two routes, and the process protocol the runner
// relies on — listen on 127.0.0.1 (port from argv[2] or PORT, 0 = any free port),
// print `ready <port>` on stdout, answer `{ cmd: 'memory' }` over IPC, and exit on
// SIGTERM/SIGINT or when the runner goes away (IPC disconnect).
import Router from '@koa/router';
import Koa from 'koa';
import type { AddressInfo } from 'node:net';

/** `GET /api/items` (the happy path) and `GET /api/boom` (the error path). */
export function benchRouter(): Router {
  let counter = 0;
  const router = new Router();
  router.get('/api/items', (ctx) => {
    ctx.body = { items: [{ id: 1, name: 'a' }, { id: 2, name: 'b' }] };
  });
  router.get('/api/boom', () => {
    counter += 1;
    throw new Error('boom ' + counter);
  });
  return router;
}

/**
 * A Koa app whose default error listener stays quiet: Koa prints every 5xx to stderr
 * otherwise, and a console write per request would dominate every error-path figure.
 */
export function benchApp(): Koa {
  const app = new Koa();
  app.silent = true;
  return app;
}

export interface ServeOptions {
  /** Extra figures the runner can ask for (notifier stats, events seen…). */
  info?: () => Record<string, unknown>;
  /** Release connections (MongoDB, sockets) before the process exits. */
  close?: () => Promise<void>;
}

export function serve(app: Koa, name: string, options: ServeOptions = {}): void {
  const port = Number(process.argv[2] ?? process.env.PORT ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`${name}: bad port ${String(process.argv[2] ?? process.env.PORT)}`);
    process.exit(2);
  }
  const server = app.listen(port, '127.0.0.1', () => {
    const { port: bound } = server.address() as AddressInfo;
    process.stdout.write(`ready ${bound}\n`);
  });
  server.on('error', (err) => {
    console.error(`${name}: ${err.message}`);
    process.exit(1);
  });

  process.on('message', (message: { cmd?: string; id?: number }) => {
    if (message?.cmd !== 'memory' || !process.send) return;
    let info: Record<string, unknown> = {};
    try {
      info = options.info?.() ?? {};
    } catch (err) {
      info = { infoError: String(err) };
    }
    process.send({ id: message.id, memory: process.memoryUsage(), info });
  });

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    // Never outlive the runner's patience: a close that hangs (e.g. a store that cannot
    // reach MongoDB) is cut short.
    setTimeout(() => process.exit(0), 1500).unref();
    server.close();
    server.closeAllConnections();
    Promise.resolve(options.close?.()).catch(() => {}).finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('disconnect', stop);
}
