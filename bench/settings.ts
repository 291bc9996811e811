// What `npm run bench` measures and how long, from the environment (see run.ts for the list).
import path from 'node:path';
import { fromSource, repoRoot } from './children';

export type Variant = 'bare' | 'floor' | 'tripwire' | 'tripwire-none' | 'composed' | 'assembled' | 'koa-json-error' | 'koa-onerror' | 'sentry';
export const VARIANTS: Variant[] = ['bare', 'floor', 'tripwire', 'tripwire-none', 'composed', 'assembled', 'koa-json-error', 'koa-onerror', 'sentry'];
/** The peers every phase runs besides bare Koa and tripwire; `assembled` is the realistic one. */
export const PEERS = ['assembled', 'koa-json-error', 'koa-onerror', 'sentry'] as const;
export type SlackMode = 'slow' | 'rate-limited' | 'refused';
export const SLACK_MODES: SlackMode[] = ['slow', 'rate-limited', 'refused'];

export const HAPPY_PATH = '/api/items';
export const ERROR_PATH = '/api/boom';

export const TARGETS = {
  /** Happy path server CPU per request, stack() ÷ the hand-written floor (X-Request-Id + envelope). */
  happyCpuToFloorMax: 1.03,
  /** A hand-rolled replacement of a standard call stays only if it saves this share of server CPU per request. */
  keptOptimisationMinGain: 0.02,
  /** Happy path req/s ÷ the assembled peer's (koa-bodyparser + koa-requestid + envelope + Sentry). */
  happyToAssembledMin: 1.0,
  /** Error path req/s, tripwire with MongoStore (default limit) ÷ the assembled peer's. */
  errorToAssembledMin: 1.5,
  /** Error path req/s, stack() reporting nowhere ÷ bare Koa's. */
  errorNoneToBareMin: 0.6,
  errorP99RatioMax: 1.10,
  stormPeakOverReferenceMaxMB: 160,
  stormSecondHalfGrowthMaxMB: 16,
};

export function envNumber(name: string, fallback: number, min = 0): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number >= ${min}, got ${raw}`);
  return value;
}

/** A comma list from the environment, each entry checked against the known names. */
export function envList(name: string, known: readonly string[], fallback: readonly string[]): string[] {
  const raw = process.env[name];
  const list = (raw ?? fallback.join(',')).split(',').map((s) => s.trim()).filter(Boolean);
  for (const entry of list) {
    if (!known.includes(entry)) throw new Error(`${name}: unknown entry ${entry} (known: ${known.join(', ')})`);
  }
  return raw === undefined || list.length ? list : [...fallback];
}

export type Settings = ReturnType<typeof readSettings>;

export function readSettings(phaseNames: readonly string[]) {
  const phases = envList('BENCH_PHASES', phaseNames, phaseNames);
  return {
    phases,
    durationS: envNumber('BENCH_DURATION', 5, 1),
    rounds: Math.round(envNumber('BENCH_ROUNDS', 3, 1)),
    connections: Math.round(envNumber('BENCH_CONNECTIONS', 50, 1)),
    warmupS: envNumber('BENCH_WARMUP', 2, 0),
    /** The happy path's many short alternating rounds (see phases/happyPath.ts). */
    happy: {
      rounds: Math.round(envNumber('BENCH_HAPPY_ROUNDS', 16, 2)),
      roundS: envNumber('BENCH_HAPPY_ROUND_S', 1.5, 0.5),
      processes: Math.round(envNumber('BENCH_HAPPY_PROCESSES', 4, 1)),
      pin: process.env.BENCH_PIN !== '0',
      /** A second bare Koa server, judged like the others (phases/happyPath.ts). */
      control: process.env.BENCH_HAPPY_CONTROL === '1',
    },
    variants: envList('BENCH_ONLY', VARIANTS, VARIANTS) as Variant[],
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
}
