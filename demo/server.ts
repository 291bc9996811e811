// `npm start`: the demo on PORT (default 3000). With MONGODB_URI it keeps notes and
// reports in MongoDB; without it, notes live in memory and reports go to the console.
import type { AddressInfo } from 'node:net';
import mongoose from 'mongoose';
import { MongoStore, type StackOptions } from 'koa-tripwire';
import path from 'node:path';
import { createDemoApp } from './app';
import { MemoryNotes, MongoNotes } from './notes';

async function main() {
  const port = Number(process.env.PORT ?? 3000);
  const uri = process.env.MONGODB_URI;
  const connection = uri ? await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 5000 }).asPromise() : null;
  const { app, tripwire } = createDemoApp({
    notes: connection ? new MongoNotes(connection) : new MemoryNotes(),
    store: connection ? new MongoStore({ connection }) : null,
    adminToken: process.env.TRIPWIRE_ADMIN_TOKEN,
    tripwire: outboxes(process.env.DEMO_OUTBOX_DIR),
  });

  const server = app.listen(port, () => {
    const { port: bound } = server.address() as AddressInfo;
    console.log(`koa-tripwire demo on http://localhost:${bound} (${connection ? 'MongoDB' : 'in memory, reports to the console'}; pid ${process.pid})`);
  });

  // `npm start` stopped (Ctrl-C, or SIGTERM to npm, which forwards both signals): stop
  // taking requests, then deliver what was accepted. Whatever is not delivered within
  // the deadline waits in the outbox for the next start. A second signal kills at once.
  const shutdown = async (signal: NodeJS.Signals) => {
    console.log(`${signal}: closing`);
    server.close();
    server.closeIdleConnections();
    try {
      await tripwire.close(5000);
      await connection?.close();
    } finally {
      process.exit(0);
    }
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

/** DEMO_OUTBOX_DIR moves the outboxes out of ./.tripwire-outbox (the README generator runs the demo from the checkout). */
function outboxes(dir: string | undefined): StackOptions | undefined {
  if (!dir) return undefined;
  return { errors: { delivery: { outboxDir: path.join(dir, 'errors') } }, brokenLinks: { delivery: { outboxDir: path.join(dir, 'broken-links') } } };
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
