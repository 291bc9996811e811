// Reads back everything a spec's database holds, for "no planted secret anywhere" scans.
import mongoose from 'mongoose';

export async function dumpDatabase(uri: string): Promise<string> {
  const conn = await mongoose.createConnection(uri).asPromise();
  try {
    const out: string[] = [];
    for (const { name } of await conn.db!.listCollections().toArray()) {
      const docs = await conn.db!.collection(name).find({}).toArray();
      out.push(`${name}: ${JSON.stringify(docs)}`);
    }
    return out.join('\n');
  } finally {
    await conn.close();
  }
}

export async function dropDatabase(uri: string): Promise<void> {
  const conn = await mongoose.createConnection(uri).asPromise();
  try {
    await conn.dropDatabase();
  } finally {
    await conn.close();
  }
}

/** Polls until `check` returns a truthy value; the deadline only bounds a broken run. */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 30_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
