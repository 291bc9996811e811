// `npm start`: the demo on PORT (default 3000). With MONGODB_URI it keeps notes and
// reports in MongoDB; without it, notes and reports live in memory, and the dashboard
// shows them all the same.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import mongoose, { type Connection } from 'mongoose';
import { MongoStore, type StackOptions } from 'koa-tripwire';
import path from 'node:path';
import { createDemoApp } from './app';
import { MemoryNotes, MongoNotes } from './notes';

async function main() {
  const port = Number(process.env.PORT ?? 3000);
  const uri = process.env.MONGODB_URI || null;
  const connection = uri ? await connect(uri) : null;
  // The dashboard's password: from the environment, or a fresh one printed below (never a default one).
  const given = process.env.TRIPWIRE_DASHBOARD_PASSWORD;
  const dashboardPassword = given || randomBytes(12).toString('base64url');
  const { app, tripwire } = createDemoApp({
    notes: connection ? new MongoNotes(connection) : new MemoryNotes(),
    // Without MONGODB_URI the stack's own default store (in memory).
    store: connection ? new MongoStore({ connection }) : undefined,
    dashboardPassword,
    tripwire: outboxes(process.env.DEMO_OUTBOX_DIR),
  });

  const server = app.listen(port, () => {
    const { port: bound } = server.address() as AddressInfo;
    console.log(`koa-tripwire demo on http://localhost:${bound} (${connection ? 'MongoDB' : 'in memory'}; pid ${process.pid})`);
    if (!tripwire.store) {
      console.log('No store: reports go to the console. Set MONGODB_URI to keep them and browse them in the dashboard at /_tripwire/');
      return;
    }
    const password = given ? 'from TRIPWIRE_DASHBOARD_PASSWORD' : dashboardPassword;
    const where = uri ? `reports are stored in MongoDB at ${redacted(uri)}` : 'reports live in memory until MONGODB_URI is set (MongoDB is the store for production)';
    console.log(`Dashboard: http://localhost:${bound}/_tripwire/ (user admin, password ${password}); ${where}`);
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

/** The connection, or one line on stderr naming the fix and exit 1 (no driver stack: the reason is all a person needs). */
async function connect(uri: string): Promise<Connection> {
  const timeout = /[?&]serverSelectionTimeoutMS=/i.test(uri) ? {} : { serverSelectionTimeoutMS: 5000 };
  try {
    return await mongoose.createConnection(uri, timeout).asPromise();
  } catch (err) {
    const reason = redacted(String((err as Error)?.message ?? err).split('\n')[0]).slice(0, 200);
    console.error(`koa-tripwire demo: cannot reach MongoDB at ${redacted(uri)} (${reason}). Start MongoDB there, correct MONGODB_URI, or unset MONGODB_URI to keep notes and reports in memory.`);
    process.exit(1);
  }
}

/** The URI without its password: `mongodb://user:***@host/db`. */
function redacted(text: string): string {
  return text.replace(/(mongodb(?:\+srv)?:\/\/)([^@\s/]*)@/gi, (_m, scheme: string, credentials: string) => `${scheme}${credentials.split(':')[0]}:***@`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
