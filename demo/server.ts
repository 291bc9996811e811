// `npm start`: the demo on PORT (default 3000). With MONGODB_URI it keeps notes and
// reports in MongoDB; without it, notes live in memory and reports go to the console.
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { MongoStore } from 'koa-tripwire';
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
  });

  const server = app.listen(port, () => {
    console.log(`koa-tripwire demo on http://localhost:${port} (${connection ? 'MongoDB' : 'in memory, reports to the console'})`);
    if (!connection) console.log('Set MONGODB_URI to keep reports and browse them in the dashboard at /_tripwire/');
    else console.log(`Dashboard: http://localhost:${port}/_tripwire/ (user admin, password ${given ? 'from TRIPWIRE_DASHBOARD_PASSWORD' : dashboardPassword})`);
  });

  // Whatever is not delivered within the deadline waits in the outbox for the next start.
  const shutdown = async () => {
    server.close();
    await tripwire.close(5000);
    await connection?.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
