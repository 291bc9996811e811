// `npm start`: the demo on PORT (default 3000). With MONGODB_URI it keeps notes and
// reports in MongoDB; without it, notes live in memory and reports go to the console.
import mongoose from 'mongoose';
import { MongoStore } from 'koa-tripwire';
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
  });

  const server = app.listen(port, () => {
    console.log(`koa-tripwire demo on http://localhost:${port} (${connection ? 'MongoDB' : 'in memory, reports to the console'})`);
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
