// `npm run bench` — what koa-tripwire costs a Koa API, measured against bare Koa and
// against what people use instead: koa-json-error, koa-onerror, Sentry, and the "assembled"
// peer (koa-bodyparser + koa-requestid + a ten-line envelope + Sentry's Koa error handler).
//
// What runs
//   The phases listed in PHASES below, in order; each module says what it measures and
//   its targets. The socket phases (happy, error, storm) run every server variant
//   (bench/servers/*.ts) as its own child process on 127.0.0.1, and the load generator
//   (autocannon, in this process) never shares its event loop. Each variant serves
//   GET /api/items (happy path) and GET /api/boom, which throws `new Error('boom ' + n)`
//   (error path). Requests carry `Accept: application/json`. Servers run with
//   NODE_ENV=production and Koa's `app.silent` (no stderr per 5xx).
//
// MongoDB: MONGODB_URI is used as given (reports are written to its database). When it
// is unset, the runner starts mongo-java-server itself on an H2 file, and the dashboard
// phase one of its own in memory (see mongo.ts); with neither, the MongoStore rows are
// "skipped: no MongoDB".
//
// Settings (env): BENCH_DURATION (s per measurement, 5), BENCH_ROUNDS (3) — the error path's;
// the happy path runs BENCH_HAPPY_ROUNDS (16) × BENCH_HAPPY_ROUND_S (1.5) alternating rounds,
// load generator and servers on cores of their own unless BENCH_PIN=0, BENCH_HAPPY_PROCESSES (4) server processes per variant over the run, BENCH_HAPPY_CONTROL=1 adds a second bare server as a control (see phases/happyPath.ts); the happyPairs phase runs the floor and stack() at the same moment on one core, BENCH_PAIRS_ROUNDS (24) × BENCH_PAIRS_ROUND_S (2) over BENCH_PAIRS_PROCESSES (4), BENCH_PAIRS_CONTROL=1 adds a floor-against-floor control (see phases/happyPairs.ts);
// BENCH_CONNECTIONS (50), BENCH_WARMUP (s, 2), BENCH_ONLY (comma list of variants:
// bare,floor,tripwire,tripwire-none,assembled,koa-json-error,koa-onerror,sentry; floor is the
// hand-written X-Request-Id + envelope the happy path is judged against), BENCH_PHASES (comma
// list of the phase names below), BENCH_INSTRUCTION_VARIANTS (see phases/instructions.ts), BENCH_STORM (0 skips the storm), BENCH_STORM_AMOUNT
// (100000), BENCH_STORM_TIMEOUT (s, 180), BENCH_ALERT_WINDOW_MS (1000), BENCH_RESULTS
// (output file, default bench/results.json); BENCH_DASHBOARD_ISSUES (10000),
// BENCH_DASHBOARD_EVENTS (100000), BENCH_DASHBOARD_SAMPLES, BENCH_DASHBOARD_WARMUP,
// BENCH_DASHBOARD_ROW_SAMPLES (see phases/dashboard.ts). Phases: breakdown, instructions
// (needs valgrind), reportBuild, hostileRequests, happy, happyPairs, error, storm, dashboard. With the defaults the
// instruction count, the happy path and the dashboard phase (full size) take most of the
// run, about 3, 4 and 6 min on 2 cores.
//
// How to read it
//   req/s is autocannon's mean of per-second samples, p50/p99 its latency percentiles in
//   ms (1 ms resolution, so small p99s move in steps), each averaged over the rounds;
//   `errors` are connection errors and timeouts (5xx answers on /api/boom are expected
//   and listed as statuses). The machine has few cores and the load generator, the server
//   and (for the store rows) MongoDB share them, so compare ratios, not absolute numbers;
//   results.json keeps every round to judge the spread. The CPU column (% of one core in
//   the measured windows: server / load generator / MongoDB) tells whether the server was
//   saturated (~100%); well under that, other processes held the cores and the figures
//   are noisier. If the bench's own MongoDB exits mid-run a WARNING is printed and
//   results.json records it (mongo.died). Sentry runs offline: Sentry.init({ dsn:
//   undefined }) builds every event and passes it to beforeSend (counted as
//   server.eventsProcessed) but has no transport to send it.
import { benchScript, installCleanup, startNode } from './children';
import { note } from './format';
import { loadState } from './load';
import { mongoRecord, noMongo, provideMongo } from './mongo';
import type { BenchEnv, Phase, PhaseResult } from './phase';
import { breakdownPhase } from './phases/breakdown';
import { dashboardPhase } from './phases/dashboard';
import { errorPathPhase } from './phases/errorPath';
import { happyPairsPhase } from './phases/happyPairs';
import { happyPathPhase } from './phases/happyPath';
import { instructionsPhase } from './phases/instructions';
import { hostileRequestsPhase } from './hostileRequests';
import { reportBuildPhase } from './phases/reportBuild';
import { stormPhase } from './phases/storm';
import { describeMachine, printVerdicts, writeResults } from './results';
import { readSettings, SLACK_MODES } from './settings';

/** Every phase, in the order they run. Add a phase module here (one line) to run it. */
const PHASES: Phase[] = [
  breakdownPhase,
  instructionsPhase,
  reportBuildPhase,
  hostileRequestsPhase,
  happyPathPhase,
  happyPairsPhase,
  errorPathPhase,
  stormPhase,
  dashboardPhase,
];

async function main(): Promise<void> {
  const started = Date.now();
  const settings = readSettings(PHASES.map((p) => p.name));
  let interrupted = false;
  installCleanup(() => {
    interrupted = true;
    loadState.current?.stop();
  });
  const machine = describeMachine();
  note(`koa-tripwire bench — ${machine.cpu}, ${machine.cores} cores, ${machine.totalMemoryMB} MB, node ${machine.node}, from ${settings.runFrom}`);
  note(`settings: happy path ${settings.happy.rounds} rounds × ${settings.happy.roundS} s, error path ${settings.rounds} rounds × ${settings.durationS} s, ${settings.connections} connections, warm-up ${settings.warmupS} s, variants ${settings.variants.join(', ')}, phases ${settings.phases.join(', ')}`);

  const env: BenchEnv = {
    settings,
    selected: (v) => settings.variants.includes(v),
    mongo: noMongo('not needed'),
    stubs: { urls: {}, children: {} },
    interrupted: () => interrupted,
  };
  const phases = PHASES.filter((p) => settings.phases.includes(p.name) && (p.wanted?.(env) ?? true));
  const results: PhaseResult[] = [];
  try {
    // The Slack stubs and MongoDB serve the tripwire servers only.
    if (env.selected('tripwire') && phases.some((p) => p.needs?.slack)) {
      for (const mode of SLACK_MODES) {
        const stub = await startNode(`slack-stub-${mode}`, benchScript('slackStub'), [mode, '0']);
        env.stubs.children[mode] = stub;
        env.stubs.urls[mode] = `http://127.0.0.1:${stub.port}/services/T0BENCH/B0BENCH/benchwebhooksecret`;
      }
    }
    if (env.selected('tripwire') && phases.some((p) => p.needs?.mongo)) {
      note('starting MongoDB…');
      env.mongo = await provideMongo(() => interrupted);
      note(`  MongoDB: ${env.mongo.skipped ?? `${env.mongo.source} at ${env.mongo.uri}`}`);
    }
    for (const phase of phases) results.push(await phase.run(env));
  } finally {
    await Promise.all(Object.values(env.stubs.children).map((s) => s!.stop()));
    await env.mongo.stop();
  }

  for (const r of results) r.print();
  const verdicts = results.flatMap((r) => r.verdicts);
  printVerdicts(verdicts);
  writeResults({
    machine,
    settings,
    mongo: mongoRecord(env.mongo, env.mongoContents),
    phases: Object.fromEntries(results.map((r) => [r.key, r.data])),
    verdicts,
    elapsedS: (Date.now() - started) / 1000,
  });
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
