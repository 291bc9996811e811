// The MongoDB the store rows write to: MONGODB_URI as given, else mongo-java-server started
// by the bench from mongo-java-server/ in $TRIPWIRE_CACHE_DIR or .cache, as the spec support
// keeps it (fetched there the first time `npm test` runs; needs java); with neither, the
// MongoStore rows are skipped. The server runs the specs' launcher, on an H2 file (the
// store rows) or in memory (the dashboard phase: on a file, indexing and scanning its
// 100,000 events is many times slower).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, startProgram } from './children';
import { firstLine, note } from './format';
import { freePort } from './support/freePort';

export interface Mongo {
  uri?: string;
  source: string;
  skipped?: string;
  /** The server's pid when the bench owns it (its CPU competes with the server's). */
  pid?: number;
  /** True when the bench started MongoDB itself, so it may create databases there freely. */
  owned: boolean;
  /** Set when the MongoDB server the bench owns exits on its own: the store rows after it are void. */
  died?: string;
  stop(): Promise<void>;
}

export const noMongo = (source: string, skipped?: string): Mongo => ({ source, skipped, owned: false, stop: async () => {} });

/** Where mongo-java-server keeps its data: an H2 file in a temporary folder, or memory. */
export type MongoBackend = 'file' | 'memory';

/** `isInterrupted` tells an exit on purpose (SIGINT) from a crash. */
export async function provideMongo(isInterrupted: () => boolean, backend: MongoBackend = 'file'): Promise<Mongo> {
  const given = process.env.MONGODB_URI?.trim();
  if (given) return { ...noMongo('MONGODB_URI'), uri: given };
  const jars = path.join(process.env.TRIPWIRE_CACHE_DIR ?? path.join(repoRoot, '.cache'), 'mongo-java-server');
  const source = path.join(repoRoot, 'spec', 'support', 'mongo-java-server', 'MongoJavaServer.java');
  const haveJars = existsSync(jars) && readdirSync(jars).some((f) => f.startsWith('mongo-java-server-core'));
  const haveJava = spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0;
  if (!haveJars || !haveJava || !existsSync(source)) {
    const why = !haveJava ? 'no java on PATH' : !haveJars ? `no jars in ${path.relative(repoRoot, jars)} (run npm test once)` : `missing ${source}`;
    return noMongo('none', `skipped: no MongoDB (MONGODB_URI unset; mongo-java-server: ${why})`);
  }
  const port = await freePort();
  const dir = backend === 'file' ? mkdtempSync(path.join(os.tmpdir(), 'tripwire-bench-mongo-')) : undefined;
  const removeDir = () => { if (dir) rmSync(dir, { recursive: true, force: true }); };
  process.on('exit', removeDir);
  try {
    const args = ['-cp', `${jars}${path.sep}*`, source, String(port), ...(dir ? [path.join(dir, 'data.mv')] : [])];
    const child = await startProgram('mongo-java-server', 'java', args, port, 120_000);
    let stopping = false;
    const mongo: Mongo = {
      uri: `mongodb://127.0.0.1:${port}/tripwire_bench`,
      source: `mongo-java-server (started by the bench, ${dir ? `H2 file in ${dir}` : 'H2 in memory'})`,
      pid: child.proc.pid,
      owned: true,
      stop: async () => {
        stopping = true;
        await child.stop();
        removeDir();
      },
    };
    child.proc.once('exit', (code, signal) => {
      if (stopping || isInterrupted()) return;
      mongo.died = `mongo-java-server exited during the bench (code ${code}, signal ${signal}): ${firstLine(child.output().slice(-1500))}`;
      note(`  WARNING: ${mongo.died}`);
    });
    return mongo;
  } catch (err) {
    removeDir();
    return noMongo('none', `skipped: no MongoDB (mongo-java-server did not start: ${firstLine(String((err as Error).message))})`);
  }
}

/**
 * Read-only look at what the store rows left behind: documents per collection, over the
 * URI's database (external MongoDB) or every tripwire_bench* database (our own server).
 */
export async function describeMongo(mongo: Mongo): Promise<Record<string, unknown>> {
  const { default: mongoose } = await import('mongoose');
  const conn = await mongoose.createConnection(mongo.uri!, { serverSelectionTimeoutMS: 20_000 }).asPromise();
  try {
    const admin = conn.db!.admin();
    const info = await admin.command({ buildInfo: 1 }).catch(() => ({ version: 'unknown' }));
    const names = mongo.owned
      ? (await admin.listDatabases()).databases.map((d) => d.name).filter((n) => n.startsWith('tripwire_bench'))
      : [conn.db!.databaseName];
    const collections: Record<string, number> = {};
    for (const name of names) {
      const db = conn.useDb(name, { useCache: false }).db!;
      for (const { name: coll } of await db.listCollections().toArray()) {
        collections[coll] = (collections[coll] ?? 0) + await db.collection(coll).estimatedDocumentCount();
      }
    }
    return { databases: names.length, serverVersion: info.version, documents: collections };
  } finally {
    await conn.close();
  }
}

/** What results.json says about the MongoDB used. */
export function mongoRecord(mongo: Mongo, contents?: Record<string, unknown>): Record<string, unknown> {
  return {
    died: mongo.died,
    source: mongo.source,
    uri: mongo.uri && mongo.source !== 'MONGODB_URI' ? mongo.uri : mongo.uri ? '(MONGODB_URI)' : undefined,
    skipped: mongo.skipped,
    contentsAfterErrorPath: contents,
  };
}
