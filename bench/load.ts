// Load generation (autocannon, in the runner's process) and what one measured window gives.
import autocannon from 'autocannon';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { NodeChild } from './children';
import { round2 } from './format';
import type { Settings } from './settings';

export interface Measurement {
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

/** The load running now, so an interrupt can stop it. */
export const loadState: { current?: autocannon.Instance } = {};

export function load(settings: Settings, url: string, opts: { durationS?: number; amount?: number; hardTimeoutS: number }): Promise<{ result: autocannon.Result; stoppedEarly: boolean }> {
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
    // autocannon ends a run at the first sample after its duration: with 1-s samples a 1.5-s
    // round would last 2 s. 100-ms samples keep a window within 0.1 s of what was asked.
    if (opts.durationS !== undefined && !Number.isInteger(opts.durationS)) options.sampleInt = 100;
    instance = autocannon(options, (err, result) => {
      clearTimeout(timer);
      loadState.current = undefined;
      if (err) reject(err);
      else resolve({ result, stoppedEarly });
    });
    loadState.current = instance;
  });
}

export function toMeasurement(round: number, result: autocannon.Result, stoppedEarly: boolean): Measurement {
  const statuses: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = Number(count);
  return {
    round,
    // Responses per second of the whole window: autocannon's mean of per-second samples
    // would rest on one or two samples in the happy path's short rounds.
    rps: result.duration > 0 ? result.requests.total / result.duration : result.requests.average,
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

export async function warmUp(settings: Settings, port: number, urlPath: string): Promise<void> {
  if (settings.warmupS <= 0) return;
  await load(settings, `http://127.0.0.1:${port}${urlPath}`, { durationS: settings.warmupS, hardTimeoutS: settings.warmupS + 15 });
}

/** CPU seconds (user + system) a process has used so far, from /proc; undefined elsewhere. */
const clockTicks = (() => {
  const out = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  return Number(out.stdout?.trim()) || 100;
})();

export function cpuSeconds(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicks;
  } catch {
    return undefined;
  }
}

/** One measured window of durationS (settings.durationS unless given), with the CPU the server (and MongoDB, when ours) used in it. */
export async function measure(settings: Settings, server: NodeChild, urlPath: string, round: number, mongoPid?: number, durationS = settings.durationS): Promise<Measurement> {
  const before = { server: cpuSeconds(server.pid), mongo: cpuSeconds(mongoPid), runner: process.cpuUsage() };
  const { result, stoppedEarly } = await load(settings, `http://127.0.0.1:${server.port}${urlPath}`, {
    durationS,
    hardTimeoutS: durationS + settings.requestTimeoutS + 5,
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
