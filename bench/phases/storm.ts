// Memory storm: 100,000 requests to GET /api/boom against tripwire with MongoDB down
// (MONGODB_URI on a closed port) and Slack refused (1 s alert window too), and the same
// storm against tripwire-none as the reference. The server's RSS is sampled from /proc
// every 250 ms (over IPC where /proc is missing): before, at half time, at the end, peak
// (with VmHWM) and 5 s after; the outbox's size on disk is reported. Target ("bounded"):
// the second half of the storm adds under 16 MB (no growth with the number of errors),
// and the peak stays within 160 MB over the reference storm's peak with the default
// maxQueue of 1,000 (the queue and the spill buffer, 2 × maxQueue reports, plus one outbox write).
import { readFileSync } from 'node:fs';
import { sleep, type NodeChild } from '../children';
import { askInfo, dirBytes, startServer, type Case, type Started } from '../cases';
import { firstLine, fmt, MB, note, table, verdictText } from '../format';
import { load, toMeasurement } from '../load';
import type { BenchEnv, Phase, Verdict } from '../phase';
import { ERROR_PATH, TARGETS } from '../settings';
import { freePort } from '../support/freePort';

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

interface StormVerdict {
  id: string;
  pass: boolean;
  text: string;
  peakOverReferenceMB?: number;
  secondHalfGrowthMB: number;
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

async function runStorm(env: BenchEnv, c: Case): Promise<StormResult> {
  const { storm } = env.settings;
  const out: StormResult = { id: c.id, label: c.label, amount: storm.amount };
  if (c.skipped) return { ...out, skipped: c.skipped };
  let server: Started | undefined;
  let sampler: NodeJS.Timeout | undefined;
  try {
    server = await startServer(c, env.mongo);
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
    }, storm.sampleMs);
    const { result, stoppedEarly } = await load(env.settings, `http://127.0.0.1:${srv.port}${ERROR_PATH}`, {
      amount: storm.amount,
      hardTimeoutS: storm.timeoutS,
    });
    const elapsed = Date.now() - t0;
    clearInterval(sampler);
    sampler = undefined;
    const atEnd = await rssOf(srv);
    samples.push([elapsed, atEnd]);
    const hwm = procMemory(srv.pid)?.hwm ?? NaN;
    await sleep(storm.settleS * 1000);
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

function judgeStorm(env: BenchEnv, storms: StormResult[], id: string): StormVerdict | undefined {
  const down = storms.find((s) => s.id === id && s.rssMB);
  if (!down) return undefined;
  const { amount } = env.settings.storm;
  const reference = storms.find((s) => s.id === 'storm:tripwire-none' && s.rssMB);
  const growth = down.rssMB!.atEnd - down.rssMB!.atHalf;
  const over = reference ? down.rssMB!.peak - reference.rssMB!.peak : undefined;
  const okGrowth = growth <= TARGETS.stormSecondHalfGrowthMaxMB;
  const okPeak = over === undefined || over <= TARGETS.stormPeakOverReferenceMaxMB;
  const complete = (down.completed ?? 0) >= amount;
  return {
    id,
    pass: okGrowth && okPeak && complete,
    peakOverReferenceMB: over,
    secondHalfGrowthMB: growth,
    text: [
      `second half of the storm ${growth >= 0 ? '+' : ''}${fmt(growth, 1)} MB (≤ ${TARGETS.stormSecondHalfGrowthMaxMB})`,
      over === undefined ? 'no reference storm' : `peak ${over >= 0 ? '+' : ''}${fmt(over, 1)} MB over tripwire-none's peak (≤ ${TARGETS.stormPeakOverReferenceMaxMB})`,
      complete ? `all ${amount} requests answered` : `only ${down.completed} of ${amount} requests answered in time`,
    ].join('; '),
  };
}

function print(env: BenchEnv, storms: StormResult[], stormVerdicts: StormVerdict[]): void {
  const { settings } = env;
  note(`\nMemory storm — ${settings.storm.amount} × GET ${ERROR_PATH}, ${settings.connections} connections (RSS in MB)`);
  note(table(['variant', 'requests', 'seconds', 'req/s', 'p99 ms', 'RSS before', 'at half', 'at end', 'peak', `after ${settings.storm.settleS} s`, 'outbox MB', 'errors'], storms.map((s) => {
    if (s.skipped || s.failed) return [s.label, s.skipped ?? `failed: ${s.failed}`];
    const m = s.rssMB!;
    return [s.label, String(s.completed), fmt(s.durationS, 1), fmt(s.rps, 0), fmt(s.p99, 0), fmt(m.before, 1), fmt(m.atHalf, 1), fmt(m.atEnd, 1), fmt(m.peak, 1), fmt(m.after, 1), s.outboxMB === undefined ? '—' : fmt(s.outboxMB, 1), String(s.errors)];
  })));
  for (const v of stormVerdicts) note(`  bound, ${v.id}: ${v.text} → ${verdictText(v.pass)}`);
}

export const stormPhase: Phase = {
  name: 'storm',
  needs: { slack: true },
  wanted: (env) => env.settings.storm.enabled && env.selected('tripwire'),
  async run(env) {
    const { settings, stubs } = env;
    note(`\n== memory storm: ${settings.storm.amount} × GET ${ERROR_PATH}`);
    const downUri = `mongodb://127.0.0.1:${await freePort()}/tripwire_bench`;
    const window = String(settings.alertWindowMs);
    const storms: StormResult[] = [];
    storms.push(await runStorm(env, { id: 'storm:tripwire-none', label: 'tripwire-none (reference)', variant: 'tripwire-none', env: {} }));
    storms.push(await runStorm(env, {
      id: 'storm:tripwire',
      label: 'tripwire (MongoDB down, Slack refused)',
      variant: 'tripwire',
      env: { MONGODB_URI: downUri, SLACK_WEBHOOK_URL: stubs.urls.refused!, BENCH_ALERT_WINDOW_MS: window },
    }));
    // Without the per-issue limit every occurrence is a report to hold: the bound then
    // rests on maxQueue and the outbox alone.
    storms.push(await runStorm(env, {
      id: 'storm:tripwire-every-event',
      label: 'tripwire, every event stored (MongoDB down, Slack refused)',
      variant: 'tripwire',
      env: { MONGODB_URI: downUri, SLACK_WEBHOOK_URL: stubs.urls.refused!, BENCH_EVENTS: 'all', BENCH_ALERT_WINDOW_MS: window },
    }));
    const stormVerdicts = ['storm:tripwire', 'storm:tripwire-every-event'].map((id) => judgeStorm(env, storms, id)).filter((v): v is StormVerdict => v !== undefined);
    const verdicts: Verdict[] = stormVerdicts.map((v) => ({
      id: `${v.id} bounded`,
      what: `RSS under the storm, ${storms.find((s) => s.id === v.id)!.label}`,
      target: `second half ≤ +${TARGETS.stormSecondHalfGrowthMaxMB} MB, peak ≤ reference + ${TARGETS.stormPeakOverReferenceMaxMB} MB`,
      measured: `${fmt(v.secondHalfGrowthMB, 1)} MB, ${v.peakOverReferenceMB === undefined ? 'no reference' : `+${fmt(v.peakOverReferenceMB, 1)} MB`}`,
      pass: v.pass,
    }));
    return { key: 'memoryStorm', data: { runs: storms, verdicts: stormVerdicts }, print: () => print(env, storms, stormVerdicts), verdicts };
  },
};
