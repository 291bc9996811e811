// `npm start`: the demo on PORT (default 3000). With MONGODB_URI it keeps notes and
// reports in MongoDB; without it, notes live in memory and reports go to the console.
import { randomBytes } from 'node:crypto';
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
  // The dashboard's password: from the environment, or a fresh one printed below (never a default one).
  const given = process.env.TRIPWIRE_DASHBOARD_PASSWORD;
  const dashboardPassword = given || randomBytes(12).toString('base64url');
  const { app, tripwire } = createDemoApp({
    notes: connection ? new MongoNotes(connection) : new MemoryNotes(),
    store: connection ? new MongoStore({ connection }) : null,
    dashboardPassword,
    tripwire: outboxes(process.env.DEMO_OUTBOX_DIR),
  });

  const server = app.listen(port, () => {
    const { port: bound } = server.address() as AddressInfo;
    console.log(`koa-tripwire demo on http://localhost:${bound} (${connection ? 'MongoDB' : 'in memory, reports to the console'}; pid ${process.pid})`);
    if (!connection) console.log('Set MONGODB_URI to keep reports and browse them in the dashboard at /_tripwire/');
    else console.log(`Dashboard: http://localhost:${bound}/_tripwire/ (user admin, password ${given ? 'from TRIPWIRE_DASHBOARD_PASSWORD' : dashboardPassword})`);
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
