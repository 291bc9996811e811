// Happy path, the floor and stack() measured at the same moment. The `happy` phase measures
// its variants one after another; on this kind of machine (a VM on shared cores) the CPU a
// request costs moves by up to ±50 % from one 1.5-s round to the next, whatever runs, so a
// ratio of two rounds seconds apart is mostly the host's weather, and a median of 16 of them
// still moves by ±5 % between runs. Here both servers share one core and one load generator
// loads both at once (half the connections each): every round's two figures saw the same
// contention, and the per-round ratios spread by a few per cent instead.
//
// Each generation starts both servers afresh (a process keeps its own bias for life) and swaps
// which one is started and loaded first: in a floor-against-floor control the second server
// read about 2 % cheaper. BENCH_PAIRS_CONTROL=1 adds that control (a second floor process), and
// its ratio is the method's own error. With the `composed` variant selected, a second pair
// measures stack() against the same parts composed by hand. Rounds: BENCH_PAIRS_ROUNDS (24) of BENCH_PAIRS_ROUND_S
// (2 s) over BENCH_PAIRS_PROCESSES (4) generations.
import { sleep, type NodeChild } from '../children';
import { startServer, type Case } from '../cases';
import { fmt, median, note, table } from '../format';
import { cpuSeconds, load, warmUp } from '../load';
import type { BenchEnv, Phase, Verdict } from '../phase';
import { pinLoadGenerator, pinServer, release, type Pinning } from '../pinning';
import { envNumber, HAPPY_PATH, TARGETS, type Settings } from '../settings';

interface Pair {
  id: string;
  label: string;
  /** The reference: the ratio is the other's CPU per request ÷ this one's. */
  base: Case;
  other: Case;
}

interface PairResult {
  id: string;
  label: string;
  /** Per round: CPU µs per request of the base and of the other, and their ratio. */
  rounds: Array<{ generation: number; baseUs: number; otherUs: number; ratio: number }>;
  median?: number;
  failed?: string;
}

const FLOOR: Case = { id: 'pairs:floor', label: 'floor', variant: 'floor', env: {} };

function pairsOf(env: BenchEnv): Pair[] {
  const { mongo, stubs } = env;
  const tripwireEnv = { ...(mongo.uri ? { MONGODB_URI: mongo.uri } : {}), SLACK_WEBHOOK_URL: stubs.urls.slow! };
  const pairs: Pair[] = [{ id: 'pairs:tripwire', label: 'stack() ÷ floor', base: FLOOR, other: { id: 'pairs:tripwire', label: 'tripwire', variant: 'tripwire', env: tripwireEnv } }];
  // stack() against the same parts composed by hand (both reporting nowhere): what stack()
  // adds of its own. A departure from Koa's idiom would have to show its gain here.
  if (env.selected('composed')) {
    pairs.push({
      id: 'pairs:composed',
      label: 'stack() reporting nowhere ÷ the five parts composed by hand',
      base: { id: 'pairs:composed', label: 'composed', variant: 'composed', env: {} },
      other: { id: 'pairs:tripwire-none', label: 'tripwire-none', variant: 'tripwire-none', env: {} },
    });
  }
  if (process.env.BENCH_PAIRS_CONTROL === '1') pairs.push({ id: 'pairs:control', label: 'a second floor process ÷ floor (control)', base: FLOOR, other: { id: 'pairs:floor-2', label: 'floor', variant: 'floor', env: {} } });
  return pairs;
}

/** CPU seconds per request of one server over a window in which both were loaded. */
async function loadBoth(settings: Settings, first: NodeChild, second: NodeChild, durationS: number): Promise<[number, number]> {
  const half = { ...settings, connections: Math.max(1, Math.floor(settings.connections / 2)) };
  const before = [cpuSeconds(first.pid), cpuSeconds(second.pid)];
  const results = await Promise.all([first, second].map((s) => load(half, `http://127.0.0.1:${s.port}${HAPPY_PATH}`, { durationS, hardTimeoutS: durationS + settings.requestTimeoutS + 5 })));
  const after = [cpuSeconds(first.pid), cpuSeconds(second.pid)];
  return [0, 1].map((i) => {
    const requests = results[i].result.requests.total;
    const used = after[i] !== undefined && before[i] !== undefined ? after[i]! - before[i]! : NaN;
    return requests > 0 ? used / requests : NaN;
  }) as [number, number];
}

async function runPair(env: BenchEnv, pair: Pair, pinning: Pinning | undefined): Promise<PairResult> {
  const { settings } = env;
  const rounds = Math.round(envNumber('BENCH_PAIRS_ROUNDS', 24, 2));
  const roundS = envNumber('BENCH_PAIRS_ROUND_S', 2, 0.5);
  const generations = Math.round(envNumber('BENCH_PAIRS_PROCESSES', 4, 1));
  const result: PairResult = { id: pair.id, label: pair.label, rounds: [] };
  for (let g = 0; g < generations; g++) {
    const count = Math.round(((g + 1) * rounds) / generations) - Math.round((g * rounds) / generations);
    // Odd generations start and load the other server first.
    const order = g % 2 === 0 ? [pair.base, pair.other] : [pair.other, pair.base];
    const servers: NodeChild[] = [];
    try {
      for (const c of order) {
        const server = await startServer(c, env.mongo);
        servers.push(server);
        if (pinning && !pinServer(pinning, server.pid)) note(`  ${c.label}: could not be pinned to core ${pinning.server}`);
      }
      await Promise.all(servers.map((s) => warmUp(settings, s.port, HAPPY_PATH)));
      for (let r = 0; r < count; r++) {
        const [a, b] = await loadBoth(settings, servers[0], servers[1], roundS);
        const [baseCpu, otherCpu] = order[0] === pair.base ? [a, b] : [b, a];
        const ratio = otherCpu / baseCpu;
        if (Number.isFinite(ratio)) result.rounds.push({ generation: g + 1, baseUs: baseCpu * 1e6, otherUs: otherCpu * 1e6, ratio });
        await sleep(100);
      }
      note(`  ${pair.label}, generation ${g + 1}: median ${fmt(median(result.rounds.filter((x) => x.generation === g + 1).map((x) => x.ratio)), 3)}`);
    } catch (err) {
      result.failed = String((err as Error).message ?? err).split('\n')[0];
      note(`  ${pair.label}: ${result.failed}`);
      break;
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
    }
  }
  result.median = median(result.rounds.map((x) => x.ratio));
  return result;
}

function print(results: PairResult[]): void {
  note('\nHappy path in simultaneous pairs (both servers on one core, loaded at once): server CPU µs per request');
  note(table(['pair', 'rounds', 'base µs', 'other µs', 'ratio, median of rounds', 'lowest', 'highest'], results.map((r) => {
    const ratios = r.rounds.map((x) => x.ratio).sort((x, y) => x - y);
    return [r.label, String(r.rounds.length), fmt(median(r.rounds.map((x) => x.baseUs)), 1), fmt(median(r.rounds.map((x) => x.otherUs)), 1), fmt(r.median, 3), fmt(ratios[0], 3), fmt(ratios.at(-1), 3)];
  })));
}

function verdicts(results: PairResult[]): Verdict[] {
  const out: Verdict[] = [];
  const ours = results.find((r) => r.id === 'pairs:tripwire');
  if (ours?.median !== undefined) {
    out.push({
      id: 'happy-pairs:tripwire÷floor cpu',
      what: 'happy path server CPU per request, tripwire ÷ the hand-written floor, measured in simultaneous pairs (median of rounds)',
      target: `≤ ${TARGETS.happyCpuToFloorMax.toFixed(2)}`,
      measured: fmt(ours.median, 3),
      pass: ours.median <= TARGETS.happyCpuToFloorMax,
    });
  }
  const composed = results.find((r) => r.id === 'pairs:composed');
  if (composed?.median !== undefined) {
    out.push({
      id: 'happy-pairs:tripwire-none÷composed cpu',
      what: 'happy path server CPU per request, stack() reporting nowhere ÷ the five parts composed by hand (simultaneous pairs; the same parts, so about 1)',
      target: 'reported',
      measured: fmt(composed.median, 3),
      pass: undefined,
    });
  }
  return out;
}

export const happyPairsPhase: Phase = {
  name: 'happyPairs',
  needs: { mongo: true, slack: true },
  wanted: (env) => env.selected('floor') && env.selected('tripwire'),
  async run(env) {
    note(`\n== happy path in simultaneous pairs, GET ${HAPPY_PATH}: the floor and stack() on one core, loaded at once`);
    const pinning = env.settings.happy.pin ? pinLoadGenerator() : undefined;
    try {
      const results: PairResult[] = [];
      for (const pair of pairsOf(env)) results.push(await runPair(env, pair, pinning));
      return { key: 'happyPairs', data: results, print: () => print(results), verdicts: verdicts(results) };
    } finally {
      release(pinning);
    }
  },
};
