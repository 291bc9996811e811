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
