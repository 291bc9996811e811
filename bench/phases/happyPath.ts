// Happy path, GET /api/items: servers start once, are warmed up, then measured round by
// round, the order reversed every other round (A B C / C B A) so that drift of a shared,
// noisy machine falls on every variant alike. Figure of merit: req/s as a ratio to bare
// Koa's in the same round, median over rounds.
import { sleep, type NodeChild } from '../children';
import { cpuPerRequest, cpuText, newResult, pairedRatio, roundOrder, startServer, summarize, unavailable, type Case, type CaseResult } from '../cases';
import { firstLine, fmt, note, table, verdictText } from '../format';
import { measure, warmUp } from '../load';
import type { BenchEnv, Phase, Verdict } from '../phase';
import { HAPPY_PATH, PEERS, TARGETS } from '../settings';

function happyCases(env: BenchEnv): Case[] {
  const { selected, mongo, stubs } = env;
  const cases: Case[] = [];
  if (selected('bare')) cases.push({ id: 'happy:bare', label: 'bare Koa', variant: 'bare', env: {} });
  if (selected('tripwire')) {
    cases.push({
      id: 'happy:tripwire',
      label: mongo.uri ? 'tripwire (MongoStore, Slack slow)' : 'tripwire (no store, Slack slow)',
      variant: 'tripwire',
      env: { ...(mongo.uri ? { MONGODB_URI: mongo.uri } : {}), SLACK_WEBHOOK_URL: stubs.urls.slow! },
    });
  }
  if (selected('tripwire-none') && !selected('tripwire')) cases.push({ id: 'happy:tripwire-none', label: 'tripwire-none', variant: 'tripwire-none', env: {} });
  for (const v of PEERS) {
    if (selected(v)) cases.push({ id: `happy:${v}`, label: v, variant: v, env: {} });
  }
  return cases;
}

async function runHappyPath(env: BenchEnv, cases: Case[]): Promise<CaseResult[]> {
  const { settings } = env;
  const results = new Map(cases.map((c) => [c.id, newResult(c, HAPPY_PATH)]));
  const servers = new Map<string, NodeChild>();
  try {
    for (const c of cases) {
      if (c.skipped) continue;
      try {
        const server = await startServer(c, env.mongo);
        servers.set(c.id, server);
        await warmUp(settings, server.port, HAPPY_PATH);
      } catch (err) {
        results.get(c.id)!.failed = firstLine(String((err as Error).message ?? err));
        note(`  ${c.label}: could not start — ${results.get(c.id)!.failed}`);
      }
    }
    const running = cases.filter((c) => servers.has(c.id));
    for (let round = 0; round < settings.rounds; round++) {
      for (const c of roundOrder(running, round)) {
        try {
          const m = await measure(settings, servers.get(c.id)!, HAPPY_PATH, round + 1);
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

/** Ratios to bare Koa: of the means, and per round (a round's pair saw the same machine) with their median. */
function judge(happy: CaseResult[]): void {
  for (const r of happy) r.summary = summarize(r.measurements);
  const bare = happy.find((r) => r.variant === 'bare');
  for (const r of happy) {
    if (!bare?.summary || !r.summary) continue;
    r.rpsRatioToBare = r.summary.rps / bare.summary.rps;
    // The median of the pairs shrugs off a round a neighbour's load disturbed.
    const paired = pairedRatio(r, bare);
    r.rpsRatioPerRound = paired.perRound;
    r.rpsRatioMedian = paired.median;
    const efficiency = cpuPerRequest(bare) / cpuPerRequest(r);
    if (Number.isFinite(efficiency)) r.cpuEfficiencyToBare = efficiency;
    if (r.variant === 'tripwire') {
      r.target = `≥ ${TARGETS.happyRpsRatioMin.toFixed(2)}`;
      if (r.rpsRatioMedian !== undefined) r.pass = r.rpsRatioMedian >= TARGETS.happyRpsRatioMin;
    }
  }
}

function verdicts(happy: CaseResult[]): Verdict[] {
  const ours = happy.find((r) => r.variant === 'tripwire' && r.summary);
  if (!ours) return [];
  const out: Verdict[] = [];
  if (ours.target !== undefined) {
    out.push({
      id: 'happy:tripwire÷bare',
      what: 'happy path req/s, tripwire ÷ bare Koa (median of paired rounds)',
      target: ours.target,
      measured: fmt(ours.rpsRatioMedian, 3),
      pass: ours.pass,
    });
  }
  const peer = happy.find((r) => r.variant === 'assembled' && r.summary);
  if (peer) {
    const { median: ratio } = pairedRatio(ours, peer);
    out.push({
      id: 'happy:tripwire÷assembled',
      what: 'happy path req/s, tripwire ÷ assembled peer (median of paired rounds)',
      target: `≥ ${TARGETS.happyToAssembledMin.toFixed(2)}`,
      measured: fmt(ratio, 3),
      pass: ratio === undefined ? undefined : ratio >= TARGETS.happyToAssembledMin,
    });
  }
  return out;
}

function print(env: BenchEnv, happy: CaseResult[]): void {
  const { settings } = env;
  note(`\nHappy path GET ${HAPPY_PATH} — ${settings.connections} connections, ${settings.rounds} × ${settings.durationS} s`);
  note(table(['variant', 'req/s', 'p50 ms', 'p99 ms', 'req/s ÷ bare', 'median of rounds', 'target', 'verdict', 'errors', 'CPU % srv/gen', 'CPU/req bare ÷ this'], happy.map((r) => {
    const none = unavailable(r);
    if (none) return none;
    const s = r.summary!;
    return [r.label, fmt(s.rps, 0), fmt(s.p50, 1), fmt(s.p99, 1), fmt(r.rpsRatioToBare, 3), fmt(r.rpsRatioMedian, 3), r.target ?? '', verdictText(r.pass), String(s.errors + s.timeouts), cpuText(s), fmt(r.cpuEfficiencyToBare, 3)];
  })));
  note('  (req/s ÷ bare: of the means over rounds; median of rounds: of the ratios within each round, the judged figure;');
  note('   CPU/req: the server\'s CPU time per request, bare Koa\'s divided by this one\'s)');
}

export const happyPathPhase: Phase = {
  name: 'happy',
  needs: { mongo: true, slack: true },
  async run(env) {
    note(`\n== happy path GET ${HAPPY_PATH}`);
    const happy = await runHappyPath(env, happyCases(env));
    judge(happy);
    return { key: 'happyPath', data: happy, print: () => print(env, happy), verdicts: verdicts(happy) };
  },
};
