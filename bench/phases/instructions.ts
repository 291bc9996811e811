// Instructions per request on the happy path, counted by valgrind (callgrind) rather than
// timed: bare Koa, the hand-written floor (X-Request-Id + envelope) and stack(), each driven
// in process as the breakdown is (no sockets). A count hardly moves with the machine's
// load, so it tells a change of a few percent that server CPU time on a shared 2-core
// machine cannot (docs/performance.md: how far rounds scatter); it leaves out what a
// count cannot see (cache misses, GC threads' share, the sockets' work), so the judged figure
// stays the happy path's server CPU per request.
//
// Each variant runs twice under `node --predictable` (V8 compiles and collects on the main
// thread, in the same order every run) with 3,000 and 13,000 measured requests after the
// same warm-up; the difference ÷ 10,000 is one request's instructions (how closely runs agree:
// docs/performance.md). Needs `valgrind` on PATH (Debian's package), else skipped.
// `composed` is the README's five parts composed by hand: what stack() composes too (it keeps
// no departure from the idiom since its reporters' shared frame went, docs/performance.md), so
// the two should count alike.
// Settings (env): BENCH_INSTRUCTION_VARIANTS (bare,floor,stack,composed).
import { spawn, spawnSync } from 'node:child_process';
import os from 'node:os';
import { benchScript } from '../children';
import { VARIANTS } from '../breakdown/variants';
import { fmt, note, table } from '../format';
import type { Phase, Verdict } from '../phase';
import { HAPPY_PATH, TARGETS } from '../settings';

const FEW = 3_000;
const MANY = 13_000;

/** Instructions the whole program ran, as callgrind's summary line says. */
function countInstructions(variant: string, requests: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, '--predictable', benchScript('breakdown/instructionChild'), variant, String(requests)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('error', reject);
    child.on('exit', (code) => {
      const collected = /Collected : (\d+)/.exec(stderr);
      if (code === 0 && collected) resolve(Number(collected[1]));
      else reject(new Error(`valgrind ${variant} ${requests}: exit ${code}: ${stderr.slice(-400)}`));
    });
  });
}

/** Runs the jobs `width` at a time (the counts do not depend on what else runs). */
async function inParallel<T>(jobs: (() => Promise<T>)[], width: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  }));
  return results;
}

export const instructionsPhase: Phase = {
  name: 'instructions',
  async run() {
    const ids = (process.env.BENCH_INSTRUCTION_VARIANTS ?? 'bare,floor,stack,composed').split(',').map((s) => s.trim()).filter(Boolean);
    for (const id of ids) if (!VARIANTS.some((v) => v.id === id && v.path === HAPPY_PATH)) throw new Error(`BENCH_INSTRUCTION_VARIANTS: ${id} is not a happy-path breakdown variant`);
    if (spawnSync('valgrind', ['--version'], { stdio: 'ignore' }).status !== 0) {
      const skipped = 'skipped: no valgrind on PATH (apt-get install valgrind)';
      return { key: 'instructions', data: { skipped }, verdicts: [], print: () => note(`\nInstructions per request: ${skipped}`) };
    }
    note(`\n== instructions per request (valgrind), ${ids.join(', ')}: two runs each, ${FEW} and ${MANY} requests…`);
    const jobs = ids.flatMap((id) => [FEW, MANY].map((n) => () => countInstructions(id, n)));
    const counts = await inParallel(jobs, Math.max(1, Math.min(2, os.availableParallelism())));
    const perRequest = Object.fromEntries(ids.map((id, i) => [id, (counts[2 * i + 1] - counts[2 * i]) / (MANY - FEW)]));
    const ratio = perRequest.stack && perRequest.floor ? perRequest.stack / perRequest.floor : undefined;
    // stack() beside the same parts composed by hand: alike, unless stack() adds work of its own.
    const oneFrameSaves = perRequest.stack && perRequest.composed ? 1 - perRequest.stack / perRequest.composed : undefined;
    const verdicts: Verdict[] = ratio === undefined ? [] : [{
      id: 'instructions.stack÷floor',
      what: 'happy path instructions per request in process, stack() ÷ the hand-written floor (valgrind; not judged, server CPU is)',
      target: `reported (the CPU target is ≤ ${TARGETS.happyCpuToFloorMax})`,
      measured: fmt(ratio, 3),
      pass: undefined,
    }];
    return {
      key: 'instructions',
      data: { requests: { few: FEW, many: MANY }, perRequest, stackToFloor: ratio, oneFrameSaves },
      verdicts,
      print: () => {
        note(`\nInstructions per request, GET ${HAPPY_PATH} in process (valgrind --tool=callgrind, node --predictable)`);
        note(table(['variant', 'instructions', '÷ floor'], ids.map((id) => [id, fmt(perRequest[id], 0), perRequest.floor ? fmt(perRequest[id] / perRequest.floor, 3) : '—'])));
        if (oneFrameSaves !== undefined) note(`  stack() beside the five parts composed by hand: ${fmt(oneFrameSaves * 100, 1)} % fewer instructions per request`);
      },
    };
  },
};
