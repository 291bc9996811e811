// A live MongoDB-speaking server for the specs; never a mock.
// Order of preference: MONGODB_URI, a `mongod` on PATH, mongo-java-server from Maven
// Central, then FerretDB (built once with `go install`). mongo-java-server comes before
// FerretDB because FerretDB 1.x applies an update by reading the document and writing
// it back without a lock (internal/handler/common/update.go), so two clients' $inc on
// one document can lose one: the specs of several app instances sharing a database
// fail on it, as they would not on mongod. With none of them the run fails loudly.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { freePort } from '../../bench/support/freePort';

export interface MongoServer {
  uri: string;
  /** e.g. "mongod 7.0.12" or "mongo-java-server (reports 5.0.0)". */
  description: string;
  /** False for an external MONGODB_URI: drills that stop the server need one we own. */
  canRestart: boolean;
  stop(): Promise<void>;
  start(): Promise<void>;
}

const repoRoot = path.resolve(__dirname, '..', '..');
const cacheDir = process.env.TRIPWIRE_CACHE_DIR ?? path.join(repoRoot, '.cache');
const FERRETDB_VERSION = 'v1.24.1';
const HOW_TO_PROVIDE = [
  'No MongoDB-speaking server could be had for the specs. Provide one of:',
  '  - MONGODB_URI=mongodb://127.0.0.1:27017/ (a running mongod)',
  '  - `mongod` on PATH',
  '  - Java 17+ and Maven with Maven Central, for mongo-java-server',
  `  - Go and the Go module proxy, to build FerretDB ${FERRETDB_VERSION}`,
].join('\n');

let pending: Promise<MongoServer> | undefined;

/** The shared server, started on first use and stopped by the root hook. */
export function mongoServer(): Promise<MongoServer> {
  pending ??= provide();
  return pending;
}

export async function stopMongoServer(): Promise<void> {
  if (!pending) return;
  const server = await pending.catch(() => undefined);
  await server?.stop();
}

/** A database name of its own for one spec file, so specs never see each other's documents. */
export async function mongoUri(database: string): Promise<string> {
  const { uri } = await mongoServer();
  const url = new URL(uri);
  url.pathname = `/${database}`;
  return url.toString();
}

async function provide(): Promise<MongoServer> {
  let server: MongoServer;
  if (process.env.MONGODB_URI) {
    server = external(process.env.MONGODB_URI);
  } else if (onPath('mongod')) {
    server = await owned('mongod', (port, dir) => ['mongod', ['--dbpath', dir, '--port', String(port), '--bind_ip', '127.0.0.1', '--quiet']]);
  } else if (mongoJavaServerJars()) {
    const jars = mongoJavaServerJars() as string;
    const source = path.join(repoRoot, 'spec', 'support', 'mongo-java-server', 'MongoJavaServer.java');
    server = await owned('mongo-java-server', (port, dir) => ['java', ['-cp', `${jars}/*`, source, String(port), path.join(dir, 'data.mv')]]);
  } else if (ferretdbBinary()) {
    const bin = ferretdbBinary() as string;
    server = await owned('FerretDB', (port, dir) => [bin, [
      '--handler=sqlite', `--sqlite-url=file:${dir}/`, `--listen-addr=127.0.0.1:${port}`,
      '--telemetry=disable', '--log-level=error', `--state-dir=${dir}`,
    ]]);
  } else {
    throw new Error(HOW_TO_PROVIDE);
  }
  server.description = await describe(server);
  console.log(`  MongoDB-speaking server: ${server.description} at ${server.uri}`);
  return server;
}

function external(uri: string): MongoServer {
  return { uri, description: 'MONGODB_URI', canRestart: false, stop: async () => {}, start: async () => {} };
}

type Command = (port: number, dir: string) => [string, string[]];

async function owned(name: string, command: Command): Promise<MongoServer> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tripwire-mongo-'));
  let child: ChildProcess | undefined;
  let log = '';
  const server: MongoServer = {
    uri: `mongodb://127.0.0.1:${port}/`,
    description: name,
    canRestart: true,
    async start() {
      const [bin, args] = command(port, dir);
      log = '';
      child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout?.on('data', (d) => { log += d; });
      child.stderr?.on('data', (d) => { log += d; });
      await waitForPort(port, 60_000, () => child?.exitCode != null ? `${name} exited: ${log.slice(-2000)}` : undefined);
    },
    async stop() {
      const running = child;
      child = undefined;
      if (!running || running.exitCode != null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGTERM');
      const timer = setTimeout(() => running.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
  process.once('exit', () => { child?.kill('SIGKILL'); rmSync(dir, { recursive: true, force: true }); });
  await server.start();
  return server;
}

async function describe(server: MongoServer): Promise<string> {
  const conn = await mongoose.createConnection(server.uri, { serverSelectionTimeoutMS: 30_000 }).asPromise();
  try {
    const info = await conn.db!.admin().command({ buildInfo: 1 });
    const flavour = info.ferretdbVersion ? `FerretDB ${info.ferretdbVersion}, ` : '';
    return `${server.description} (${flavour}buildInfo version ${info.version})`;
  } finally {
    await conn.close();
  }
}

function onPath(bin: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;
}

function ferretdbBinary(): string | undefined {
  if (onPath('ferretdb')) return 'ferretdb';
  const bin = path.join(cacheDir, 'bin', 'ferretdb');
  if (existsSync(bin)) return bin;
  // One build attempt per cache: a proxy that refuses the module refuses it every time.
  const marker = path.join(cacheDir, `ferretdb-${FERRETDB_VERSION}.unavailable`);
  if (existsSync(marker) || !onPath('go')) return undefined;
  mkdirSync(cacheDir, { recursive: true });
  console.log(`  building FerretDB ${FERRETDB_VERSION} with go install (first run only)…`);
  const build = spawnSync('go', ['install', `github.com/FerretDB/FerretDB/cmd/ferretdb@${FERRETDB_VERSION}`], {
    env: { ...process.env, GOBIN: path.join(cacheDir, 'bin') }, encoding: 'utf8', timeout: 20 * 60_000,
  });
  if (build.status === 0 && existsSync(bin)) return bin;
  writeFileSync(marker, `${build.stderr ?? ''}${build.error ?? ''}`);
  console.log(`  FerretDB could not be built here (${firstLine(build.stderr)})`);
  return undefined;
}

function mongoJavaServerJars(): string | undefined {
  const dir = path.join(cacheDir, 'mongo-java-server');
  if (existsSync(dir) && readdirSync(dir).some((f) => f.startsWith('mongo-java-server-core'))) return dir;
  if (!onPath('java') || !onPath('mvn')) return undefined;
  console.log('  fetching mongo-java-server from Maven Central (first run only)…');
  const pom = path.join(repoRoot, 'spec', 'support', 'mongo-java-server', 'pom.xml');
  const fetch = spawnSync('mvn', ['-q', '-B', '-f', pom, 'dependency:copy-dependencies', `-DoutputDirectory=${dir}`], {
    encoding: 'utf8', timeout: 10 * 60_000,
  });
  if (fetch.status !== 0) {
    console.log(`  mongo-java-server could not be fetched: ${firstLine(fetch.stdout || fetch.stderr)}`);
    return undefined;
  }
  return dir;
}

function firstLine(text: string | null | undefined): string {
  const line = (text ?? '').split('\n').find((l) => l.trim()) ?? 'no output';
  return line.replace(/https?:\/\/\S+/g, '<registry>');
}

async function waitForPort(port: number, timeoutMs: number, failure: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const why = failure();
    if (why) throw new Error(why);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => { socket.destroy(); resolve(true); });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`MongoDB-speaking server did not listen on 127.0.0.1:${port} within ${timeoutMs} ms`);
}
