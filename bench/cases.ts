// Server cases: one server variant with its environment, started as a child process, and
// the per-case results (measurements and their summary) the socket phases produce.
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchScript, startNode, type NodeChild } from './children';
import { median } from './format';
import type { Measurement } from './load';
import type { Mongo } from './mongo';
import type { SlackMode, Variant } from './settings';

export interface Case {
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

export interface Summary {
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

export interface CaseResult {
  id: string;
  label: string;
  variant: Variant;
  path: string;
  skipped?: string;
  failed?: string;
  measurements: Measurement[];
  summary?: Summary;
  rpsRatioToBare?: number;
  /** req/s ÷ bare's in the same round, per round, and their median (the judged figure on the happy path). */
  rpsRatioPerRound?: number[];
  rpsRatioMedian?: number;
  /** Server CPU time per request, bare's ÷ this one's (1 = costs the same). */
  cpuEfficiencyToBare?: number;
  /** The same per round (bare's in the same round ÷ this one's), and their median. */
  cpuRatioPerRound?: number[];
  cpuRatioMedian?: number;
  /** The cores the load generator and the server were kept on (happy path), null when not pinned. */
  pinned?: { loadGenerator: string; server: string } | null;
  p99RatioToNone?: number;
  target?: string;
  pass?: boolean;
}

export function newResult(c: Case, urlPath: string): CaseResult {
  return { id: c.id, label: c.label, variant: c.variant, path: urlPath, measurements: [], ...(c.skipped ? { skipped: c.skipped } : {}) };
}

export function summarize(ms: Measurement[]): Summary | undefined {
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

/** req/s of `a` ÷ `b`'s in the same round, per round, and their median (rounds alternate, so each pair saw the same machine). */
export function pairedRatio(a: CaseResult, b: CaseResult): { perRound: number[]; median: number | undefined } {
  const perRound = a.measurements
    .map((m) => [m, b.measurements.find((o) => o.round === m.round)] as const)
    .filter(([, o]) => o && o.rps > 0)
    .map(([m, o]) => m.rps / o!.rps);
  return { perRound, median: median(perRound) };
}

/** Server CPU seconds per request over every measured window. */
export function cpuPerRequest(r: CaseResult): number {
  return r.measurements.reduce((sum, m) => sum + (m.cpuSeconds?.server ?? NaN), 0) / r.measurements.reduce((sum, m) => sum + m.requests, 0);
}

/** Scratch space of this run (delivery outboxes), removed at the end. */
const scratch = mkdtempSync(path.join(os.tmpdir(), 'tripwire-bench-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
let serverCount = 0;

export interface Started extends NodeChild {
  outboxDir?: string;
}

/** Each tripwire server gets an outbox directory of its own, so none replays another's. */
export async function startServer(c: Case, mongo: Mongo): Promise<Started> {
  serverCount += 1;
  const outboxDir = c.variant === 'tripwire' ? path.join(scratch, `outbox-${serverCount}`) : undefined;
  const env: Record<string, string> = { ...c.env, ...(outboxDir ? { BENCH_OUTBOX_DIR: outboxDir } : {}) };
  if (c.freshDatabase && mongo.owned && env.MONGODB_URI) {
    const url = new URL(env.MONGODB_URI);
    url.pathname = `/tripwire_bench_${serverCount}`;
    env.MONGODB_URI = url.toString();
  }
  const server: Started = await startNode(c.id, benchScript(path.join('servers', c.variant)), ['0'], env);
  server.outboxDir = outboxDir;
  return server;
}

export function dirBytes(dir: string | undefined): number {
  if (!dir || !existsSync(dir)) return 0;
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? dirBytes(full) : statSync(full).size;
  }
  return total;
}

/** Round r's order: as listed on even rounds, reversed on odd ones. */
export function roundOrder<T>(items: T[], round: number): T[] {
  return round % 2 === 0 ? [...items] : [...items].reverse();
}

/** The extra figures a server reports over IPC (notifier stats, events seen…). */
export async function askInfo(server: NodeChild): Promise<Record<string, unknown> | undefined> {
  try {
    const answer = await server.ask<{ info?: Record<string, unknown> }>('memory', 3000);
    return answer.info && Object.keys(answer.info).length ? answer.info : undefined;
  } catch {
    return undefined;
  }
}

/** Rows shared by the happy and error path tables: a label and a reason when there are no figures. */
export function unavailable(r: CaseResult): string[] | undefined {
  return r.skipped || (r.failed && !r.summary) ? [r.label, r.skipped ?? `failed: ${r.failed}`] : undefined;
}

export function cpuText(s: Summary | undefined, withMongo = false): string {
  if (!s) return '';
  const { server, loadGenerator, mongo } = s.cpuPercent;
  const parts = [server, loadGenerator, ...(withMongo ? [mongo] : [])].map((v) => (v === undefined ? '—' : String(v)));
  return parts.join('/');
}
