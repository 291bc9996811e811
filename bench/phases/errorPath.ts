// Error path, GET /api/boom: the peers, `tripwire-none` (stack() reporting nowhere: store
// null, no notifiers — the envelope still shapes the 500 and each report is still built),
// tripwire with MongoStore on a live MongoDB-speaking server and no Slack (what the store
// alone costs), every occurrence stored, and with the Slack stub slow, rate-limited or
// refused. Every measurement gets a fresh server process (start, warm-up, measure, stop)
// so that reports still being delivered after one measurement cannot load the next, and
// (on the bench's own MongoDB) a fresh database, so the issue is new and alerts.
// Figure of merit: p99 as a ratio to tripwire-none's p99, target ≤ 1.10 whatever Slack does.
import { sleep, type NodeChild } from '../children';
import { askInfo, cpuText, newResult, pairedRatio, roundOrder, startServer, summarize, unavailable, type Case, type CaseResult } from '../cases';
import { firstLine, fmt, note, table, verdictText } from '../format';
import { measure, warmUp } from '../load';
import { describeMongo } from '../mongo';
import type { BenchEnv, Phase, Verdict } from '../phase';
import { ERROR_PATH, PEERS, SLACK_MODES, TARGETS } from '../settings';

function errorCases(env: BenchEnv): Case[] {
  const { selected, mongo, stubs, settings } = env;
  const cases: Case[] = [];
  const window = String(settings.alertWindowMs);
  const skipped = mongo.skipped ? { skipped: mongo.skipped } : {};
  if (selected('bare')) cases.push({ id: 'error:bare', label: 'bare Koa', variant: 'bare', env: {} });
  if (selected('tripwire-none') || selected('tripwire')) {
    cases.push({ id: 'error:tripwire-none', label: 'tripwire-none (no reporting)', variant: 'tripwire-none', env: {} });
  }
  if (selected('tripwire')) {
    // MongoStore without Slack: separates what the store costs from what Slack adds.
    cases.push({
      id: 'error:tripwire+mongo',
      label: 'tripwire + MongoStore, no Slack',
      variant: 'tripwire',
      env: mongo.uri ? { MONGODB_URI: mongo.uri, BENCH_ALERT_WINDOW_MS: window } : {},
      freshDatabase: true,
      ...skipped,
    });
    // The worst case for the store: every occurrence its own event (no per-issue limit).
    cases.push({
      id: 'error:tripwire+mongo-every-event',
      label: 'tripwire + MongoStore, every event stored, no Slack',
      variant: 'tripwire',
      env: mongo.uri ? { MONGODB_URI: mongo.uri, BENCH_EVENTS: 'all', BENCH_ALERT_WINDOW_MS: window } : {},
      freshDatabase: true,
      ...skipped,
    });
    for (const mode of SLACK_MODES) {
      cases.push({
        id: `error:tripwire+mongo+slack-${mode}`,
        label: `tripwire + MongoStore + Slack ${mode}`,
        variant: 'tripwire',
        env: mongo.uri ? { MONGODB_URI: mongo.uri, SLACK_WEBHOOK_URL: stubs.urls[mode]!, BENCH_ALERT_WINDOW_MS: window } : {},
        freshDatabase: true,
        slackStub: mode,
        ...skipped,
      });
    }
  }
  for (const v of PEERS) {
    if (selected(v)) cases.push({ id: `error:${v}`, label: v, variant: v, env: {} });
  }
  return cases;
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

/** A fresh server per measurement, so delivery left over from one cannot load the next. */
async function runErrorPath(env: BenchEnv, cases: Case[]): Promise<CaseResult[]> {
  const { settings, stubs, mongo } = env;
  const results = new Map(cases.map((c) => [c.id, newResult(c, ERROR_PATH)]));
  const runnable = cases.filter((c) => !c.skipped);
  for (let round = 0; round < settings.rounds; round++) {
    for (const c of roundOrder(runnable, round)) {
      const result = results.get(c.id)!;
      if (result.failed) continue;
      let server: NodeChild | undefined;
      try {
        server = await startServer(c, mongo);
        await warmUp(settings, server.port, ERROR_PATH);
        const stub = c.slackStub ? stubs.children[c.slackStub] : undefined;
        const stubBefore = await stubRequests(stub);
        const m = await measure(settings, server, ERROR_PATH, round + 1, mongo.pid);
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

function judge(errorPath: CaseResult[]): void {
  for (const r of errorPath) r.summary = summarize(r.measurements);
  const bare = errorPath.find((r) => r.variant === 'bare')?.summary;
  const none = errorPath.find((r) => r.variant === 'tripwire-none')?.summary;
  for (const r of errorPath) {
    if (bare && r.summary) r.rpsRatioToBare = r.summary.rps / bare.rps;
    if (none && r.summary) r.p99RatioToNone = r.summary.p99 / none.p99;
    if (r.variant === 'tripwire') {
      r.target = `p99 ≤ ${TARGETS.errorP99RatioMax.toFixed(2)}`;
      if (r.p99RatioToNone !== undefined) r.pass = r.p99RatioToNone <= TARGETS.errorP99RatioMax;
    }
  }
}

function verdicts(errorPath: CaseResult[]): Verdict[] {
  const out: Verdict[] = errorPath.filter((r) => r.target !== undefined).map((r) => ({
    id: `${r.id} p99÷none`,
    what: `error path p99, ${r.label} ÷ tripwire-none`,
    target: r.target!,
    measured: fmt(r.p99RatioToNone, 3),
    pass: r.pass,
  }));
  const find = (id: string) => errorPath.find((r) => r.id === id && r.summary);
  const ratio = (what: string, id: string, a: CaseResult | undefined, b: CaseResult | undefined, min: number) => {
    if (!a || !b) return;
    // Means over rounds: each error-path measurement is a fresh server, so rounds pair less closely.
    const value = a.summary!.rps / b.summary!.rps;
    out.push({ id, what, target: `≥ ${min.toFixed(2)}`, measured: `${fmt(value, 3)} (median of rounds ${fmt(pairedRatio(a, b).median, 3)})`, pass: value >= min });
  };
  ratio('error path req/s, stack() reporting nowhere ÷ bare Koa', 'error:tripwire-none÷bare', find('error:tripwire-none'), find('error:bare'), TARGETS.errorNoneToBareMin);
  ratio('error path req/s, tripwire + MongoStore (default limit) ÷ assembled peer', 'error:tripwire+mongo÷assembled', find('error:tripwire+mongo'), find('error:assembled'), TARGETS.errorToAssembledMin);
  return out;
}

/** Requests the Slack stub saw in the measured windows, and the notifier's retries over whole runs. */
function slackText(r: CaseResult): string {
  const stats = r.measurements.map((m) => (m.server?.slack ?? null) as { retried?: number } | null).filter((x) => x !== null);
  if (stats.length === 0) return '';
  const seen = r.measurements.some((m) => m.slackStubRequests !== undefined)
    ? String(r.measurements.reduce((sum, m) => sum + (m.slackStubRequests ?? 0), 0)) : '—';
  return `${seen} (${stats.reduce((sum, st) => sum + (st.retried ?? 0), 0)} retries)`;
}

function statusList(statuses: Record<string, number> | undefined): string {
  return Object.entries(statuses ?? {}).map(([code, n]) => `${code}×${n}`).join(' ');
}

function print(env: BenchEnv, errorPath: CaseResult[]): void {
  const { settings } = env;
  note(`\nError path GET ${ERROR_PATH} — ${settings.connections} connections, ${settings.rounds} × ${settings.durationS} s, fresh server each`);
  note(table(['variant', 'req/s', 'p50 ms', 'p99 ms', 'req/s ÷ bare', 'p99 ÷ tripwire-none', 'target', 'verdict', 'errors', 'CPU % srv/gen/mongo', 'Slack calls', 'statuses'], errorPath.map((r) => {
    const none = unavailable(r);
    if (none) return none;
    const s = r.summary!;
    return [r.label, fmt(s.rps, 0), fmt(s.p50, 1), fmt(s.p99, 1), fmt(r.rpsRatioToBare, 3), fmt(r.p99RatioToNone, 3), r.target ?? '', verdictText(r.pass), String(s.errors + s.timeouts), cpuText(s, true), slackText(r), statusList(s.statuses)];
  })));
  note('  (CPU: % of one core in the measured windows for server / load generator / MongoDB. Slack calls: requests the stub received in');
  note(`   those windows — refused mode has nobody to count them — and the notifier's retries over whole runs; alert window ${settings.alertWindowMs} ms)`);
}

export const errorPathPhase: Phase = {
  name: 'error',
  needs: { mongo: true, slack: true },
  async run(env) {
    note(`\n== error path GET ${ERROR_PATH}`);
    const errorPath = await runErrorPath(env, errorCases(env));
    judge(errorPath);
    if (env.mongo.uri && errorPath.length) {
      env.mongoContents = await describeMongo(env.mongo).catch((err) => ({ error: String(err?.message ?? err) }));
    }
    return { key: 'errorPath', data: errorPath, print: () => print(env, errorPath), verdicts: verdicts(errorPath) };
  },
};
