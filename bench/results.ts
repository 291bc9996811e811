// bench/results.json: the machine, the settings, each phase's data under its key, every verdict.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fmt, MB, note, verdictText } from './format';
import type { Verdict } from './phase';
import { TARGETS, type Settings } from './settings';

export function describeMachine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    totalMemoryMB: Math.round(os.totalmem() / MB),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    date: new Date().toISOString(),
    loadAverageAtStart: os.loadavg(),
  };
}

export function printVerdicts(verdicts: Verdict[]): void {
  if (verdicts.length === 0) return;
  note('\nVerdicts');
  for (const v of verdicts) note(`  ${(verdictText(v.pass) || '—').padEnd(4)}  ${v.what}: ${v.measured} (wanted ${v.target})`);
}

export interface Written {
  machine: ReturnType<typeof describeMachine>;
  settings: Settings;
  mongo: Record<string, unknown>;
  phases: Record<string, unknown>;
  verdicts: Verdict[];
  elapsedS: number;
}

export function writeResults(out: Written): void {
  const { settings } = out;
  const output = {
    machine: { ...out.machine, loadAverageAtEnd: os.loadavg() },
    settings: {
      ...settings,
      results: undefined,
      targets: TARGETS,
      serverEnv: { NODE_ENV: 'production' },
      notes: [
        'req/s: responses completed in the window ÷ its duration (autocannon requests.total / duration); p50/p99: latency percentiles in ms; summaries are means over rounds.',
        'happy path: servers start once and are measured in many short rounds (settings.happy) in alternating order, load generator and servers on different cores when pinned (each row\'s `pinned`); rpsRatioMedian and cpuRatioMedian are medians of per-round ratios to bare Koa; error path: a fresh server process per measurement.',
        'sentry: Sentry.init({ dsn: undefined }) runs offline — events are built and pass beforeSend (counted in server.eventsProcessed) but there is no transport.',
        'breakdown: in-process, no sockets: app.callback() driven with node\'s own IncomingMessage/ServerResponse; CPU µs per request, median of rounds; each variant in a process of its own with its base timed there (breakdown.processes: each), or all in one (one).',
      ],
    },
    mongo: out.mongo,
    ...out.phases,
    verdicts: out.verdicts,
    elapsedS: out.elapsedS,
  };
  writeFileSync(settings.results, `${JSON.stringify(output, null, 2)}\n`);
  note(`results written to ${path.relative(process.cwd(), settings.results) || settings.results}`);
  note(`bench took ${fmt(out.elapsedS, 0)} s; load average now ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}
