// `npm run bench` — what koa-tripwire costs a Koa API, measured against bare Koa and
// against the error handlers people use instead (koa-json-error, koa-onerror, Sentry).
//
// What runs
//   Every server variant (bench/servers/*.ts) is its own child process on 127.0.0.1 and
//   the load generator (autocannon, in this process) never shares its event loop. Each
//   variant serves GET /api/items (happy path) and GET /api/boom, which throws
//   `new Error('boom ' + n)` (error path). Requests carry `Accept: application/json`.
//   Servers run with NODE_ENV=production and Koa's `app.silent` (no stderr per 5xx).
//
//   1. Happy path, GET /api/items: bare Koa, tripwire (stack() with MongoStore on the
//      live server and Slack pointing at the slow stub — nothing is reported on this
//      path), koa-json-error, koa-onerror, sentry. Servers start once, are warmed up,
//      then measured round by round, the order reversed every other round (A B C / C B
//      A) so that drift of a shared, noisy machine falls on every variant alike.
//      Figure of merit: req/s as a ratio to bare Koa. Target: tripwire ≥ 0.95.
//   2. Error path, GET /api/boom: the same peers, `tripwire-none` (stack() reporting
//      nowhere: store null, no notifiers — the envelope still shapes the 500 and each
//      report is still built), tripwire with MongoStore on a live MongoDB-speaking server
//      and no Slack (what the store alone costs), and with the Slack stub slow (200 after
//      500 ms), rate-limited (429, Retry-After: 1) or refused (nothing listens). Every
//      measurement gets a fresh server process (start, warm-up, measure, stop) so that
//      reports still being delivered after one measurement cannot load the next, and
//      (on the bench's own MongoDB) a fresh database, so the issue is new and alerts.
//      All /api/boom errors are one issue, so with the default 10-minute alert window
//      Slack would hear of it once, during the warm-up; these rows use a 1 s window
//      (BENCH_ALERT_WINDOW_MS) so a digest goes to Slack every second of the measurement.
//      Figure of merit: p99 as a ratio to tripwire-none's p99. Target: ≤ 1.10 whatever
//      Slack does (comparing the Slack rows with the no-Slack row tells Slack's share).
//   3. Memory storm: 100,000 requests to GET /api/boom against tripwire with MongoDB down
//      (MONGODB_URI on a closed port) and Slack refused (1 s alert window too), and the
//      same storm against tripwire-none as the reference. The server's RSS is sampled
//      from /proc every 250 ms (over IPC where /proc is missing): before, at half time, at
//      the end, peak (with VmHWM) and 5 s after; the outbox's size on disk is reported.
//      Target ("bounded"): the second half of the storm adds under 16 MB (no growth with
//      the number of errors), and the peak stays within the bound the README states:
//      160 MB over the reference storm's peak with the default maxQueue of 1,000 (the
//      queue and the spill buffer, 2 × maxQueue reports, plus one outbox write).
//
// MongoDB: MONGODB_URI is used as given (reports are written to its database). When it
// is unset, the runner starts mongo-java-server itself from .cache/mongo-java-server
// (fetched there by the spec support the first time `npm test` runs; needs java); with
// neither, the MongoStore rows are "skipped: no MongoDB".
//
// Settings (env): BENCH_DURATION (s per measurement, 5), BENCH_ROUNDS (3),
// BENCH_CONNECTIONS (50), BENCH_WARMUP (s, 2), BENCH_ONLY (comma list of variants:
// bare,tripwire,tripwire-none,koa-json-error,koa-onerror,sentry), BENCH_PHASES (comma
// list of happy,error,storm), BENCH_STORM (0 skips the storm), BENCH_STORM_AMOUNT
// (100000), BENCH_STORM_TIMEOUT (s, 180), BENCH_ALERT_WINDOW_MS (1000), BENCH_RESULTS
// (output file, default bench/results.json). Defaults take 6–7 min.
//
// How to read it
//   req/s is autocannon's mean of per-second samples, p50/p99 its latency percentiles in
//   ms (1 ms resolution, so small p99s move in steps), each averaged over the rounds;
//   `errors` are connection errors and timeouts (5xx answers on /api/boom are expected
//   and listed as statuses). Ratios are of those means. The machine has few cores and the
//   load generator, the server and (for the store rows) MongoDB share them, so compare
//   ratios, not absolute numbers; results.json keeps every round to judge the spread.
//   The CPU column (% of one core in the measured windows: server / load generator /
//   MongoDB) tells whether the server was saturated (~100%); well under that, other
//   processes held the cores and the figures are noisier. If the bench's own MongoDB
//   exits mid-run a WARNING is printed and results.json records it (mongo.died).
//   Sentry runs offline: Sentry.init({ dsn: undefined }) builds every event and passes it
//   to beforeSend (counted as server.eventsProcessed) but has no transport to send it.
import autocannon from 'autocannon';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  benchScript, closedPort, fromSource, installCleanup, repoRoot, sleep, startNode, startProgram, type NodeChild,
} from './children';

type Variant = 'bare' | 'tripwire' | 'tripwire-none' | 'koa-json-error' | 'koa-onerror' | 'sentry';
const VARIANTS: Variant[] = ['bare', 'tripwire', 'tripwire-none', 'koa-json-error', 'koa-onerror', 'sentry'];
type SlackMode = 'slow' | 'rate-limited' | 'refused';
const SLACK_MODES: SlackMode[] = ['slow', 'rate-limited', 'refused'];

const HAPPY_PATH = '/api/items';
const ERROR_PATH = '/api/boom';
const TARGETS = {
  happyRpsRatioMin: 0.95,
  errorP99RatioMax: 1.10,
  stormPeakOverReferenceMaxMB: 160,
  stormSecondHalfGrowthMaxMB: 16,
};

function envNumber(name: string, fallback: number, min = 0): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number >= ${min}, got ${raw}`);
  return value;
}

const only = (process.env.BENCH_ONLY ?? '').split(',').map((s) => s.trim()).filter(Boolean);
for (const name of only) {
  if (!VARIANTS.includes(name as Variant)) throw new Error(`BENCH_ONLY: unknown variant ${name} (known: ${VARIANTS.join(', ')})`);
}

const PHASES = ['happy', 'error', 'storm'] as const;
const phases = (process.env.BENCH_PHASES ?? PHASES.join(',')).split(',').map((s) => s.trim()).filter(Boolean);
for (const phase of phases) {
  if (!(PHASES as readonly string[]).includes(phase)) throw new Error(`BENCH_PHASES: unknown phase ${phase} (known: ${PHASES.join(', ')})`);
}

const settings = {
  phases,
  durationS: envNumber('BENCH_DURATION', 5, 1),
  rounds: Math.round(envNumber('BENCH_ROUNDS', 3, 1)),
  connections: Math.round(envNumber('BENCH_CONNECTIONS', 50, 1)),
  warmupS: envNumber('BENCH_WARMUP', 2, 0),
  variants: (only.length ? only : VARIANTS) as Variant[],
  storm: {
    enabled: process.env.BENCH_STORM !== '0' && phases.includes('storm'),
    amount: Math.round(envNumber('BENCH_STORM_AMOUNT', 100_000, 1)),
    timeoutS: envNumber('BENCH_STORM_TIMEOUT', 180, 1),
    settleS: 5,
    sampleMs: 250,
  },
  /** Alert window of the tripwire servers with Slack on the error path and in the storm. */
  alertWindowMs: Math.round(envNumber('BENCH_ALERT_WINDOW_MS', 1000, 1)),
  requestTimeoutS: 10,
  headers: { accept: 'application/json' },
  results: process.env.BENCH_RESULTS ?? path.join(repoRoot, 'bench', 'results.json'),
  runFrom: fromSource ? 'source (tsx)' : 'dist (compiled)',
};

const selected = (v: Variant) => settings.variants.includes(v);

// ---------------------------------------------------------------------------
// Load generation

interface Measurement {
  round: number;
  rps: number;
  p50: number;
  p99: number;
  latencyMean: number;
  requests: number;
  durationS: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statuses: Record<string, number>;
  stoppedEarly?: boolean;
  /** CPU used during the measured window by the server, the MongoDB server (when owned) and this process. */
  cpuSeconds?: { server?: number; mongo?: number; loadGenerator: number };
  server?: Record<string, unknown>;
  slackStubRequests?: number;
}

let currentLoad: autocannon.Instance | undefined;

function load(url: string, opts: { durationS?: number; amount?: number; hardTimeoutS: number }): Promise<{ result: autocannon.Result; stoppedEarly: boolean }> {
  return new Promise((resolve, reject) => {
    let stoppedEarly = false;
    let instance: autocannon.Instance | undefined;
    // A bound on the whole run, whatever the server does; stop() still yields the results so far.
    const timer = setTimeout(() => { stoppedEarly = true; instance?.stop(); }, opts.hardTimeoutS * 1000);
    const options: autocannon.Options = {
      url,
      connections: settings.connections,
      timeout: settings.requestTimeoutS,
      headers: settings.headers,
    };
    if (opts.amount !== undefined) options.amount = opts.amount;
    else options.duration = opts.durationS;
    instance = autocannon(options, (err, result) => {
      clearTimeout(timer);
      currentLoad = undefined;
      if (err) reject(err);
      else resolve({ result, stoppedEarly });
    });
    currentLoad = instance;
  });
}

function toMeasurement(round: number, result: autocannon.Result, stoppedEarly: boolean): Measurement {
  const statuses: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = Number(count);
  return {
    round,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    latencyMean: result.latency.average,
    requests: result.requests.total,
    durationS: result.duration,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statuses,
    ...(stoppedEarly ? { stoppedEarly } : {}),
  };
}

async function warmUp(port: number, urlPath: string): Promise<void> {
  if (settings.warmupS <= 0) return;
  await load(`http://127.0.0.1:${port}${urlPath}`, { durationS: settings.warmupS, hardTimeoutS: settings.warmupS + 15 });
}

/** CPU seconds (user + system) a process has used so far, from /proc; undefined elsewhere. */
const clockTicks = (() => {
  const out = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  return Number(out.stdout?.trim()) || 100;
})();

function cpuSeconds(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicks;
  } catch {
    return undefined;
  }
}

/** The MongoDB-speaking server's pid when the bench owns it (its CPU competes with the server's). */
let mongoPid: number | undefined;
/** True when the bench started MongoDB itself, so it may create databases there freely. */
let ownedMongo = false;
/** Set when the MongoDB server the bench owns exits on its own: the store rows after it are void. */
let mongoDied: string | undefined;
/** Set on SIGINT/SIGTERM: children are being stopped on purpose. */
let interrupted = false;

async function measure(server: NodeChild, urlPath: string, round: number): Promise<Measurement> {
  const before = { server: cpuSeconds(server.pid), mongo: cpuSeconds(mongoPid), runner: process.cpuUsage() };
  const { result, stoppedEarly } = await load(`http://127.0.0.1:${server.port}${urlPath}`, {
    durationS: settings.durationS,
    hardTimeoutS: settings.durationS + settings.requestTimeoutS + 5,
  });
  const m = toMeasurement(round, result, stoppedEarly);
  const runner = process.cpuUsage(before.runner);
  const serverCpu = cpuSeconds(server.pid);
  const mongoCpu = cpuSeconds(mongoPid);
  m.cpuSeconds = {
    ...(serverCpu !== undefined && before.server !== undefined ? { server: round2(serverCpu - before.server) } : {}),
    ...(mongoCpu !== undefined && before.mongo !== undefined ? { mongo: round2(mongoCpu - before.mongo) } : {}),
    loadGenerator: round2((runner.user + runner.system) / 1e6),
  };
  return m;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

// ---------------------------------------------------------------------------
// Cases

interface Case {
  id: string;
  label: string;
  variant: Variant;
  env: Record<string, string>;
  skipped?: string;
  slackStub?: SlackMode;
  /**
   * A database of its own for each server start (when the bench owns MongoDB): the issue
   * is then new, so its first alert goes out as well as the digests. With one shared
   * database the alert ledger (rightly) stays quiet across restarts.
   */
  freshDatabase?: boolean;
}

interface Summary {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
  timeouts: number;
  statuses: Record<string, number>;
  /** Mean CPU use during the measured windows, in % of one core. */
  cpuPercent: { server?: number; mongo?: number; loadGenerator?: number };
}

interface CaseResult {
  id: string;
  label: string;
  variant: Variant;
  path: string;
  skipped?: string;
  failed?: string;
  measurements: Measurement[];
  summary?: Summary;
  rpsRatioToBare?: number;
  /** Happy path: req/s ÷ bare's in the same round, per round, and their median (the judged figure). */
  rpsRatioPerRound?: number[];
  rpsRatioMedian?: number;
  /** Happy path: server CPU time per request, bare's ÷ this one's (1 = costs the same). */
  cpuEfficiencyToBare?: number;
  p99RatioToNone?: number;
  target?: string;
  pass?: boolean;
}

function summarize(ms: Measurement[]): Summary | undefined {
  if (ms.length === 0) return undefined;
  const mean = (pick: (m: Measurement) => number) => ms.reduce((sum, m) => sum + pick(m), 0) / ms.length;
  const statuses: Record<string, number> = {};
  for (const m of ms) for (const [code, n] of Object.entries(m.statuses)) statuses[code] = (statuses[code] ?? 0) + n;
  return {
    rps: mean((m) => m.rps),
    p50: mean((m) => m.p50),
    p99: mean((m) => m.p99),
    requests: ms.reduce((sum, m) => sum + m.requests, 0),
    errors: ms.reduce((sum, m) => sum + m.errors, 0),
    timeouts: ms.reduce((sum, m) => sum + m.timeouts, 0),
    statuses,
    cpuPercent: {
      server: cpuPercent(ms, 'server'),
      mongo: cpuPercent(ms, 'mongo'),
      loadGenerator: cpuPercent(ms, 'loadGenerator'),
    },
  };
}

function cpuPercent(ms: Measurement[], who: 'server' | 'mongo' | 'loadGenerator'): number | undefined {
  const known = ms.filter((m) => m.cpuSeconds?.[who] !== undefined && m.durationS > 0);
  if (known.length === 0) return undefined;
  return Math.round((known.reduce((sum, m) => sum + m.cpuSeconds![who]! / m.durationS, 0) / known.length) * 100);
}

const serverScript = (variant: Variant) => benchScript(path.join('servers', variant));

/** Scratch space of this run (delivery outboxes), removed at the end. */
const scratch = mkdtempSync(path.join(os.tmpdir(), 'tripwire-bench-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
let serverCount = 0;

interface Started extends NodeChild {
  outboxDir?: string;
}

/** Each tripwire server gets an outbox directory of its own, so none replays another's. */
async function startServer(c: Case): Promise<Started> {
  serverCount += 1;
  const outboxDir = c.variant === 'tripwire' ? path.join(scratch, `outbox-${serverCount}`) : undefined;
  const env: Record<string, string> = { ...c.env, ...(outboxDir ? { BENCH_OUTBOX_DIR: outboxDir } : {}) };
  if (c.freshDatabase && ownedMongo && env.MONGODB_URI) {
    const url = new URL(env.MONGODB_URI);
    url.pathname = `/tripwire_bench_${serverCount}`;
    env.MONGODB_URI = url.toString();
  }
  const server: Started = await startNode(c.id, serverScript(c.variant), ['0'], env);
  server.outboxDir = outboxDir;
  return server;
}

function dirBytes(dir: string | undefined): number {
  if (!dir || !existsSync(dir)) return 0;
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? dirBytes(full) : statSync(full).size;
  }
  return total;
}

/** Round r's order: as listed on even rounds, reversed on odd ones. */
function roundOrder<T>(items: T[], round: number): T[] {
  return round % 2 === 0 ? [...items] : [...items].reverse();
}

function note(message: string): void {
  process.stdout.write(`${message}\n`);
}

function firstLine(text: string): string {
  return text.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 3).join(' | ').slice(0, 400);
}

async function askInfo(server: NodeChild): Promise<Record<string, unknown> | undefined> {
  try {
    const answer = await server.ask<{ info?: Record<string, unknown> }>('memory', 3000);
    return answer.info && Object.keys(answer.info).length ? answer.info : undefined;
  } catch {
    return undefined;
  }
}

/** Happy path: servers start once, warm up once, then alternate round by round. */
async function runHappyPath(cases: Case[]): Promise<CaseResult[]> {
  const results = new Map<string, CaseResult>();
  const servers = new Map<string, NodeChild>();
  for (const c of cases) {
    results.set(c.id, { id: c.id, label: c.label, variant: c.variant, path: HAPPY_PATH, measurements: [], ...(c.skipped ? { skipped: c.skipped } : {}) });
  }
  try {
    for (const c of cases) {
      if (c.skipped) continue;
      try {
        const server = await startServer(c);
        servers.set(c.id, server);
        await warmUp(server.port, HAPPY_PATH);
      } catch (err) {
        results.get(c.id)!.failed = firstLine(String((err as Error).message ?? err));
        note(`  ${c.label}: could not start — ${results.get(c.id)!.failed}`);
      }
    }
    const running = cases.filter((c) => servers.has(c.id));
    for (let round = 0; round < settings.rounds; round++) {
      for (const c of roundOrder(running, round)) {
        const server = servers.get(c.id)!;
        try {
          const m = await measure(server, HAPPY_PATH, round + 1);
          results.get(c.id)!.measurements.push(m);
          note(`  round ${round + 1}  ${c.label.padEnd(44)} ${fmt(m.rps, 0).padStart(8)} req/s  p50 ${fmt(m.p50, 1)} ms  p99 ${fmt(m.p99, 1)} ms`);
        } catch (err) {
          results.get(c.id)!.failed = firstLine(String((err as Error).message ?? err));
        }
        await sleep(300);
      }
    }
  } finally {
    await Promise.all([...servers.values()].map((s) => s.stop()));
  }
  return [...results.values()];
}

interface SlackStubs {
  urls: Partial<Record<SlackMode, string>>;
  children: Partial<Record<SlackMode, NodeChild>>;
}

async function stubRequests(stub: NodeChild | undefined): Promise<number | undefined> {
  if (!stub) return undefined;
  try {
    const answer = await stub.ask<{ stats: { requests: number } }>('stats', 3000);
    return answer.stats.requests;
  } catch {
    return undefined;
  }
}

/** Error path: a fresh server per measurement, so delivery left over from one cannot load the next. */
async function runErrorPath(cases: Case[], stubs: SlackStubs): Promise<CaseResult[]> {
  const results = new Map<string, CaseResult>();
  for (const c of cases) {
    results.set(c.id, { id: c.id, label: c.label, variant: c.variant, path: ERROR_PATH, measurements: [], ...(c.skipped ? { skipped: c.skipped } : {}) });
  }
  const runnable = cases.filter((c) => !c.skipped);
  for (let round = 0; round < settings.rounds; round++) {
    for (const c of roundOrder(runnable, round)) {
      const result = results.get(c.id)!;
      if (result.failed) continue;
      let server: NodeChild | undefined;
      try {
        server = await startServer(c);
        await warmUp(server.port, ERROR_PATH);
        const stub = c.slackStub ? stubs.children[c.slackStub] : undefined;
        const stubBefore = await stubRequests(stub);
        const m = await measure(server, ERROR_PATH, round + 1);
        const stubAfter = await stubRequests(stub);
        if (stubBefore !== undefined && stubAfter !== undefined) m.slackStubRequests = stubAfter - stubBefore;
        const info = await askInfo(server);
        if (info) m.server = info;
        result.measurements.push(m);
        note(`  round ${round + 1}  ${c.label.padEnd(44)} ${fmt(m.rps, 0).padStart(8)} req/s  p50 ${fmt(m.p50, 1)} ms  p99 ${fmt(m.p99, 1)} ms`);
      } catch (err) {
        result.failed = firstLine(String((err as Error).message ?? err));
        note(`  ${c.label}: failed — ${result.failed}`);
      } finally {
        await server?.stop();
      }
      await sleep(500);
    }
  }
  return [...results.values()];
}

// ---------------------------------------------------------------------------
// Memory storm

interface StormResult {
  id: string;
  label: string;
  skipped?: string;
  failed?: string;
  amount: number;
  completed?: number;
  durationS?: number;
  stoppedEarly?: boolean;
  rps?: number;
  p99?: number;
  errors?: number;
  statuses?: Record<string, number>;
  rssSource?: string;
  rssMB?: { before: number; peak: number; atHalf: number; atEnd: number; after: number };
  heapUsedMB?: { before?: number; after?: number };
  /** Size on disk of the delivery outbox 5 s after the storm (reports parked while MongoDB is down). */
  outboxMB?: number;
  samples?: Array<[number, number]>;
  server?: Record<string, unknown>;
}

function procMemory(pid: number): { rss: number; hwm: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    const rss = kb('VmRSS');
    return Number.isFinite(rss) ? { rss, hwm: kb('VmHWM') } : undefined;
  } catch {
    return undefined;
  }
}

async function ipcMemory(server: NodeChild): Promise<NodeJS.MemoryUsage | undefined> {
  try {
    return (await server.ask<{ memory: NodeJS.MemoryUsage }>('memory', 5000)).memory;
  } catch {
    return undefined;
  }
}

async function rssOf(server: NodeChild): Promise<number> {
  return procMemory(server.pid)?.rss ?? (await ipcMemory(server))?.rss ?? NaN;
}

const MB = 1024 * 1024;

async function runStorm(c: Case): Promise<StormResult> {
  const out: StormResult = { id: c.id, label: c.label, amount: settings.storm.amount };
  if (c.skipped) return { ...out, skipped: c.skipped };
  let server: Started | undefined;
  let sampler: NodeJS.Timeout | undefined;
  try {
    server = await startServer(c);
    const srv = server;
    await sleep(1000);
    out.rssSource = procMemory(srv.pid) ? '/proc/<pid>/status (VmRSS, VmHWM)' : 'IPC process.memoryUsage()';
    const before = await rssOf(srv);
    const heapBefore = (await ipcMemory(srv))?.heapUsed;
    const t0 = Date.now();
    const samples: Array<[number, number]> = [[0, before]];
    let sampling = false;
    sampler = setInterval(() => {
      if (sampling) return;
      sampling = true;
      void rssOf(srv).then((rss) => { samples.push([Date.now() - t0, rss]); }).finally(() => { sampling = false; });
    }, settings.storm.sampleMs);
    const { result, stoppedEarly } = await load(`http://127.0.0.1:${srv.port}${ERROR_PATH}`, {
      amount: settings.storm.amount,
      hardTimeoutS: settings.storm.timeoutS,
    });
    const elapsed = Date.now() - t0;
    clearInterval(sampler);
    sampler = undefined;
    const atEnd = await rssOf(srv);
    samples.push([elapsed, atEnd]);
    const hwm = procMemory(srv.pid)?.hwm ?? NaN;
    await sleep(settings.storm.settleS * 1000);
    const after = await rssOf(srv);
    samples.push([Date.now() - t0, after]);
    const heapAfter = (await ipcMemory(srv))?.heapUsed;
    if (srv.outboxDir) out.outboxMB = dirBytes(srv.outboxDir) / MB;
    const during = samples.filter(([t]) => t <= elapsed);
    const atHalf = during.reduce((best, s) => (Math.abs(s[0] - elapsed / 2) < Math.abs(best[0] - elapsed / 2) ? s : best), during[0])[1];
    const peak = Math.max(...samples.map(([, rss]) => rss), Number.isFinite(hwm) ? hwm : 0);
    const m = toMeasurement(1, result, stoppedEarly);
    Object.assign(out, {
      completed: m.requests,
      durationS: elapsed / 1000,
      ...(stoppedEarly ? { stoppedEarly } : {}),
      rps: m.requests / (elapsed / 1000),
      p99: m.p99,
      errors: m.errors + m.timeouts,
      statuses: m.statuses,
      rssMB: { before: before / MB, peak: peak / MB, atHalf: atHalf / MB, atEnd: atEnd / MB, after: after / MB },
      heapUsedMB: { before: heapBefore && heapBefore / MB, after: heapAfter && heapAfter / MB },
      samples: samples.map(([t, rss]) => [t, Math.round((rss / MB) * 10) / 10] as [number, number]),
    });
    const info = await askInfo(srv);
    if (info) out.server = info;
    note(`  ${c.label}: ${m.requests} requests in ${fmt(elapsed / 1000, 1)} s, RSS ${fmt(before / MB, 0)} → peak ${fmt(peak / MB, 0)} → ${fmt(after / MB, 0)} MB`);
  } catch (err) {
    out.failed = firstLine(String((err as Error).message ?? err));
    note(`  ${c.label}: failed — ${out.failed}`);
  } finally {
    if (sampler) clearInterval(sampler);
    await server?.stop();
  }
  return out;
}

// ---------------------------------------------------------------------------
// MongoDB

interface Mongo {
  uri?: string;
  source: string;
  skipped?: string;
  stop(): Promise<void>;
}

async function provideMongo(): Promise<Mongo> {
  const given = process.env.MONGODB_URI?.trim();
  if (given) return { uri: given, source: 'MONGODB_URI', stop: async () => {} };
  const jars = path.join(repoRoot, '.cache', 'mongo-java-server');
  const source = path.join(repoRoot, 'spec', 'support', 'mongo-java-server', 'MongoJavaServer.java');
  const haveJars = existsSync(jars) && readdirSync(jars).some((f) => f.startsWith('mongo-java-server-core'));
  const haveJava = spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0;
  if (!haveJars || !haveJava || !existsSync(source)) {
    const why = !haveJava ? 'no java on PATH' : !haveJars ? `no jars in ${path.relative(repoRoot, jars)} (run npm test once)` : `missing ${source}`;
    return { source: 'none', skipped: `skipped: no MongoDB (MONGODB_URI unset; mongo-java-server: ${why})`, stop: async () => {} };
  }
  const port = await closedPort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tripwire-bench-mongo-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  try {
    const child = await startProgram('mongo-java-server', 'java', ['-cp', `${jars}${path.sep}*`, source, String(port), path.join(dir, 'data.mv')], port, 120_000);
    mongoPid = child.proc.pid;
    ownedMongo = true;
    let stopping = false;
    child.proc.once('exit', (code, signal) => {
      if (stopping || interrupted) return;
      mongoDied = `mongo-java-server exited during the bench (code ${code}, signal ${signal}): ${firstLine(child.output().slice(-1500))}`;
      note(`  WARNING: ${mongoDied}`);
    });
    return {
      uri: `mongodb://127.0.0.1:${port}/tripwire_bench`,
      source: `mongo-java-server (started by the bench, H2 file in ${dir})`,
      stop: async () => {
        stopping = true;
        await child.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    return { source: 'none', skipped: `skipped: no MongoDB (mongo-java-server did not start: ${firstLine(String((err as Error).message))})`, stop: async () => {} };
  }
}

/**
 * Read-only look at what the store rows left behind: documents per collection, over the
 * URI's database (external MongoDB) or every tripwire_bench* database (our own server).
 */
async function describeMongo(uri: string): Promise<Record<string, unknown>> {
  const { default: mongoose } = await import('mongoose');
  const conn = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 20_000 }).asPromise();
  try {
    const admin = conn.db!.admin();
    const info = await admin.command({ buildInfo: 1 }).catch(() => ({ version: 'unknown' }));
    const names = ownedMongo
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

// ---------------------------------------------------------------------------
// Output

function fmt(value: number | undefined, digits: number): string {
  return value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits);
}

/** Rows shorter than the header (a label and a note: skipped, failed) don't set column widths. */
function table(headers: string[], rows: string[][]): string {
  const full = rows.filter((r) => r.length === headers.length);
  const widths = headers.map((h, i) => Math.max(h.length, ...(i === 0 ? rows : full).map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => (cells.length < headers.length
    ? `${cells[0].padEnd(widths[0])}  ${cells.slice(1).join('  ')}`
    : cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')).trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function statusText(statuses: Record<string, number> | undefined): string {
  return Object.entries(statuses ?? {}).map(([code, n]) => `${code}×${n}`).join(' ');
}

/** Requests the Slack stub saw in the measured windows, and the notifier's retries over whole runs. */
function slackText(r: CaseResult): string {
  const stats = r.measurements.map((m) => (m.server?.slack ?? null) as { retried?: number } | null).filter((x) => x !== null);
  if (stats.length === 0) return '';
  const seen = r.measurements.some((m) => m.slackStubRequests !== undefined)
    ? String(r.measurements.reduce((sum, m) => sum + (m.slackStubRequests ?? 0), 0)) : '—';
  return `${seen} (${stats.reduce((sum, st) => sum + (st.retried ?? 0), 0)} retries)`;
}

function cpuText(s: Summary | undefined, withMongo = false): string {
  if (!s) return '';
  const { server, loadGenerator, mongo } = s.cpuPercent;
  const parts = [server, loadGenerator, ...(withMongo ? [mongo] : [])].map((v) => (v === undefined ? '—' : String(v)));
  return parts.join('/');
}

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function verdict(pass: boolean | undefined): string {
  return pass === undefined ? '' : pass ? 'PASS' : 'FAIL';
}

function printResults(happy: CaseResult[], errorPath: CaseResult[], storms: StormResult[], stormVerdicts: StormVerdict[]): void {
  const rowFor = (r: CaseResult, extra: string[]) => {
    if (r.skipped || (r.failed && !r.summary)) return [r.label, r.skipped ?? `failed: ${r.failed}`];
    const s = r.summary!;
    return [r.label, fmt(s.rps, 0), fmt(s.p50, 1), fmt(s.p99, 1), ...extra, String(s.errors + s.timeouts)];
  };
  if (happy.length) {
    note(`\nHappy path GET ${HAPPY_PATH} — ${settings.connections} connections, ${settings.rounds} × ${settings.durationS} s`);
    note(table(['variant', 'req/s', 'p50 ms', 'p99 ms', 'req/s ÷ bare', 'median of rounds', 'target', 'verdict', 'errors', 'CPU % srv/gen', 'CPU/req bare ÷ this'], happy.map((r) => {
      const row = rowFor(r, [fmt(r.rpsRatioToBare, 3), fmt(r.rpsRatioMedian, 3), r.target ?? '', verdict(r.pass)]);
      return [...row, cpuText(r.summary), fmt(r.cpuEfficiencyToBare, 3)];
    })));
    note('  (req/s ÷ bare: of the means over rounds; median of rounds: of the ratios within each round, the judged figure;');
    note('   CPU/req: the server\'s CPU time per request, bare Koa\'s divided by this one\'s)');
  }
  if (errorPath.length) {
    note(`\nError path GET ${ERROR_PATH} — ${settings.connections} connections, ${settings.rounds} × ${settings.durationS} s, fresh server each`);
    note(table(['variant', 'req/s', 'p50 ms', 'p99 ms', 'req/s ÷ bare', 'p99 ÷ tripwire-none', 'target', 'verdict', 'errors', 'CPU % srv/gen/mongo', 'Slack calls', 'statuses'], errorPath.map((r) => {
      if (r.skipped || (r.failed && !r.summary)) return [r.label, r.skipped ?? `failed: ${r.failed}`];
      const s = r.summary!;
      const slackCalls = slackText(r);
      return [r.label, fmt(s.rps, 0), fmt(s.p50, 1), fmt(s.p99, 1), fmt(r.rpsRatioToBare, 3), fmt(r.p99RatioToNone, 3), r.target ?? '', verdict(r.pass), String(s.errors + s.timeouts), cpuText(s, true), slackCalls, statusText(s.statuses)];
    })));
    note('  (CPU: % of one core in the measured windows for server / load generator / MongoDB. Slack calls: requests the stub received in');
    note(`   those windows — refused mode has nobody to count them — and the notifier's retries over whole runs; alert window ${settings.alertWindowMs} ms)`);
  }
  if (storms.length) {
    note(`\nMemory storm — ${settings.storm.amount} × GET ${ERROR_PATH}, ${settings.connections} connections (RSS in MB)`);
    note(table(['variant', 'requests', 'seconds', 'req/s', 'p99 ms', 'RSS before', 'at half', 'at end', 'peak', `after ${settings.storm.settleS} s`, 'outbox MB', 'errors'], storms.map((s) => {
      if (s.skipped || s.failed) return [s.label, s.skipped ?? `failed: ${s.failed}`];
      const m = s.rssMB!;
      return [s.label, String(s.completed), fmt(s.durationS, 1), fmt(s.rps, 0), fmt(s.p99, 0), fmt(m.before, 1), fmt(m.atHalf, 1), fmt(m.atEnd, 1), fmt(m.peak, 1), fmt(m.after, 1), s.outboxMB === undefined ? '—' : fmt(s.outboxMB, 1), String(s.errors)];
    })));
    for (const v of stormVerdicts) note(`  bound, ${v.id}: ${v.text} → ${verdict(v.pass)}`);
  }
}

interface StormVerdict {
  id: string;
  pass: boolean;
  text: string;
  peakOverReferenceMB?: number;
  secondHalfGrowthMB: number;
}

function judgeStorm(storms: StormResult[], id: string): StormVerdict | undefined {
  const down = storms.find((s) => s.id === id && s.rssMB);
  if (!down) return undefined;
  const reference = storms.find((s) => s.id === 'storm:tripwire-none' && s.rssMB);
  const growth = down.rssMB!.atEnd - down.rssMB!.atHalf;
  const over = reference ? down.rssMB!.peak - reference.rssMB!.peak : undefined;
  const okGrowth = growth <= TARGETS.stormSecondHalfGrowthMaxMB;
  const okPeak = over === undefined || over <= TARGETS.stormPeakOverReferenceMaxMB;
  const complete = (down.completed ?? 0) >= settings.storm.amount;
  return {
    id,
    pass: okGrowth && okPeak && complete,
    peakOverReferenceMB: over,
    secondHalfGrowthMB: growth,
    text: [
      `second half of the storm ${growth >= 0 ? '+' : ''}${fmt(growth, 1)} MB (≤ ${TARGETS.stormSecondHalfGrowthMaxMB})`,
      over === undefined ? 'no reference storm' : `peak ${over >= 0 ? '+' : ''}${fmt(over, 1)} MB over tripwire-none's peak (≤ ${TARGETS.stormPeakOverReferenceMaxMB})`,
      complete ? `all ${settings.storm.amount} requests answered` : `only ${down.completed} of ${settings.storm.amount} requests answered in time`,
    ].join('; '),
  };
}

// ---------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = Date.now();
  installCleanup(() => {
    interrupted = true;
    currentLoad?.stop();
  });
  const cpus = os.cpus();
  const machine = {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    totalMemoryMB: Math.round(os.totalmem() / MB),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    date: new Date().toISOString(),
    loadAverageAtStart: os.loadavg(),
  };
  note(`koa-tripwire bench — ${machine.cpu}, ${machine.cores} cores, ${machine.totalMemoryMB} MB, node ${machine.node}, from ${settings.runFrom}`);
  note(`settings: ${settings.rounds} rounds × ${settings.durationS} s, ${settings.connections} connections, warm-up ${settings.warmupS} s, variants ${settings.variants.join(', ')}`);

  const wantsTripwire = selected('tripwire');
  const stubs: SlackStubs = { urls: {}, children: {} };
  let mongo: Mongo = { source: 'not needed', stop: async () => {} };
  let mongoContents: Record<string, unknown> | undefined;
  let happy: CaseResult[] = [];
  let errorPath: CaseResult[] = [];
  const storms: StormResult[] = [];

  try {
    if (wantsTripwire) {
      for (const mode of SLACK_MODES) {
        const stub = await startNode(`slack-stub-${mode}`, benchScript('slackStub'), [mode, '0']);
        stubs.children[mode] = stub;
        stubs.urls[mode] = `http://127.0.0.1:${stub.port}/services/T0BENCH/B0BENCH/benchwebhooksecret`;
      }
      if (phases.includes('happy') || phases.includes('error')) {
        note('starting MongoDB…');
        mongo = await provideMongo();
        note(`  MongoDB: ${mongo.skipped ?? `${mongo.source} at ${mongo.uri}`}`);
      }
    }

    // Happy path
    const happyCases: Case[] = [];
    if (selected('bare')) happyCases.push({ id: 'happy:bare', label: 'bare Koa', variant: 'bare', env: {} });
    if (selected('tripwire')) {
      happyCases.push({
        id: 'happy:tripwire',
        label: mongo.uri ? 'tripwire (MongoStore, Slack slow)' : 'tripwire (no store, Slack slow)',
        variant: 'tripwire',
        env: { ...(mongo.uri ? { MONGODB_URI: mongo.uri } : {}), SLACK_WEBHOOK_URL: stubs.urls.slow! },
      });
    }
    if (selected('tripwire-none') && !selected('tripwire')) happyCases.push({ id: 'happy:tripwire-none', label: 'tripwire-none', variant: 'tripwire-none', env: {} });
    for (const v of ['koa-json-error', 'koa-onerror', 'sentry'] as const) {
      if (selected(v)) happyCases.push({ id: `happy:${v}`, label: v, variant: v, env: {} });
    }
    if (phases.includes('happy')) {
      note(`\n== happy path GET ${HAPPY_PATH}`);
      happy = await runHappyPath(happyCases);
    }

    // Error path
    const errorCases: Case[] = [];
    if (selected('bare')) errorCases.push({ id: 'error:bare', label: 'bare Koa', variant: 'bare', env: {} });
    if (selected('tripwire-none') || selected('tripwire')) {
      errorCases.push({ id: 'error:tripwire-none', label: 'tripwire-none (no reporting)', variant: 'tripwire-none', env: {} });
    }
    if (selected('tripwire')) {
      // MongoStore without Slack: separates what the store costs from what Slack adds.
      errorCases.push({
        id: 'error:tripwire+mongo',
        label: 'tripwire + MongoStore, no Slack',
        variant: 'tripwire',
        env: mongo.uri ? { MONGODB_URI: mongo.uri, BENCH_ALERT_WINDOW_MS: String(settings.alertWindowMs) } : {},
        freshDatabase: true,
        ...(mongo.skipped ? { skipped: mongo.skipped } : {}),
      });
      // The worst case for the store: every occurrence its own event (no per-issue limit).
      errorCases.push({
        id: 'error:tripwire+mongo-every-event',
        label: 'tripwire + MongoStore, every event stored, no Slack',
        variant: 'tripwire',
        env: mongo.uri ? { MONGODB_URI: mongo.uri, BENCH_EVENTS: 'all', BENCH_ALERT_WINDOW_MS: String(settings.alertWindowMs) } : {},
        freshDatabase: true,
        ...(mongo.skipped ? { skipped: mongo.skipped } : {}),
      });
      for (const mode of SLACK_MODES) {
        errorCases.push({
          id: `error:tripwire+mongo+slack-${mode}`,
          label: `tripwire + MongoStore + Slack ${mode}`,
          variant: 'tripwire',
          env: mongo.uri ? { MONGODB_URI: mongo.uri, SLACK_WEBHOOK_URL: stubs.urls[mode]!, BENCH_ALERT_WINDOW_MS: String(settings.alertWindowMs) } : {},
          freshDatabase: true,
          slackStub: mode,
          ...(mongo.skipped ? { skipped: mongo.skipped } : {}),
        });
      }
    }
    for (const v of ['koa-json-error', 'koa-onerror', 'sentry'] as const) {
      if (selected(v)) errorCases.push({ id: `error:${v}`, label: v, variant: v, env: {} });
    }
    if (phases.includes('error')) {
      note(`\n== error path GET ${ERROR_PATH}`);
      errorPath = await runErrorPath(errorCases, stubs);
    }

    if (mongo.uri && errorPath.length) mongoContents = await describeMongo(mongo.uri).catch((err) => ({ error: String(err?.message ?? err) }));

    // Memory storm
    if (settings.storm.enabled && wantsTripwire) {
      note(`\n== memory storm: ${settings.storm.amount} × GET ${ERROR_PATH}`);
      const downPort = await closedPort();
      storms.push(await runStorm({ id: 'storm:tripwire-none', label: 'tripwire-none (reference)', variant: 'tripwire-none', env: {} }));
      storms.push(await runStorm({
        id: 'storm:tripwire',
        label: 'tripwire (MongoDB down, Slack refused)',
        variant: 'tripwire',
        env: { MONGODB_URI: `mongodb://127.0.0.1:${downPort}/tripwire_bench`, SLACK_WEBHOOK_URL: stubs.urls.refused!, BENCH_ALERT_WINDOW_MS: String(settings.alertWindowMs) },
      }));
      // Without the per-issue limit every occurrence is a report to hold: the bound then
      // rests on maxQueue and the outbox alone.
      storms.push(await runStorm({
        id: 'storm:tripwire-every-event',
        label: 'tripwire, every event stored (MongoDB down, Slack refused)',
        variant: 'tripwire',
        env: { MONGODB_URI: `mongodb://127.0.0.1:${downPort}/tripwire_bench`, SLACK_WEBHOOK_URL: stubs.urls.refused!, BENCH_EVENTS: 'all', BENCH_ALERT_WINDOW_MS: String(settings.alertWindowMs) },
      }));
    }
  } finally {
    await Promise.all(Object.values(stubs.children).map((s) => s!.stop()));
    await mongo.stop();
  }

  // Ratios and targets
  for (const r of [...happy, ...errorPath]) r.summary = summarize(r.measurements);
  const bareHappyCase = happy.find((r) => r.variant === 'bare');
  const bareHappy = bareHappyCase?.summary;
  for (const r of happy) {
    if (bareHappy && r.summary) r.rpsRatioToBare = r.summary.rps / bareHappy.rps;
    if (bareHappyCase && r.summary) {
      // Rounds alternate variants, so a round's pair saw the same machine; the median
      // of the pairs shrugs off a round a neighbour's load disturbed.
      r.rpsRatioPerRound = r.measurements
        .map((m) => [m, bareHappyCase.measurements.find((b) => b.round === m.round)] as const)
        .filter(([, b]) => b && b.rps > 0)
        .map(([m, b]) => m.rps / b!.rps);
      r.rpsRatioMedian = median(r.rpsRatioPerRound);
      const cpuPerRequest = (c: CaseResult) => c.measurements.reduce((sum, m) => sum + (m.cpuSeconds?.server ?? NaN), 0) / c.measurements.reduce((sum, m) => sum + m.requests, 0);
      const efficiency = cpuPerRequest(bareHappyCase) / cpuPerRequest(r);
      if (Number.isFinite(efficiency)) r.cpuEfficiencyToBare = efficiency;
    }
    if (r.variant === 'tripwire') {
      r.target = `≥ ${TARGETS.happyRpsRatioMin.toFixed(2)}`;
      if (r.rpsRatioMedian !== undefined) r.pass = r.rpsRatioMedian >= TARGETS.happyRpsRatioMin;
    }
  }
  const bareError = errorPath.find((r) => r.variant === 'bare')?.summary;
  const none = errorPath.find((r) => r.variant === 'tripwire-none')?.summary;
  for (const r of errorPath) {
    if (bareError && r.summary) r.rpsRatioToBare = r.summary.rps / bareError.rps;
    if (none && r.summary) r.p99RatioToNone = r.summary.p99 / none.p99;
    if (r.variant === 'tripwire') {
      r.target = `p99 ≤ ${TARGETS.errorP99RatioMax.toFixed(2)}`;
      if (r.p99RatioToNone !== undefined) r.pass = r.p99RatioToNone <= TARGETS.errorP99RatioMax;
    }
  }
  const stormVerdicts = ['storm:tripwire', 'storm:tripwire-every-event'].map((id) => judgeStorm(storms, id)).filter((v): v is StormVerdict => v !== undefined);

  printResults(happy, errorPath, storms, stormVerdicts);
  const elapsedS = (Date.now() - started) / 1000;
  note(`\nbench took ${fmt(elapsedS, 0)} s; load average now ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);

  const output = {
    machine: { ...machine, loadAverageAtEnd: os.loadavg() },
    settings: {
      ...settings,
      results: undefined,
      targets: TARGETS,
      serverEnv: { NODE_ENV: 'production' },
      notes: [
        'req/s: autocannon requests.average (mean of per-second samples); p50/p99: latency percentiles in ms; summaries are means over rounds.',
        'happy path: servers start once and are measured in alternating order; error path: a fresh server process per measurement.',
        'sentry: Sentry.init({ dsn: undefined }) runs offline — events are built and pass beforeSend (counted in server.eventsProcessed) but there is no transport.',
      ],
    },
    mongo: { died: mongoDied, source: mongo.source, uri: mongo.uri && mongo.source !== 'MONGODB_URI' ? mongo.uri : mongo.uri ? '(MONGODB_URI)' : undefined, skipped: mongo.skipped, contentsAfterErrorPath: mongoContents },
    happyPath: happy,
    errorPath,
    memoryStorm: { runs: storms, verdicts: stormVerdicts },
    elapsedS,
  };
  writeFileSync(settings.results, `${JSON.stringify(output, null, 2)}\n`);
  note(`results written to ${path.relative(process.cwd(), settings.results) || settings.results}`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
