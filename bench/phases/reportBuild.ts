// In-process cost of building one report (bench/reportBuild.ts): an ordinary error, the
// bulky error of issue 11, an axios error from a real upstream 502, and the filter on
// text with secret-shape detection on and off. CPU µs per call, best of 15 rounds.
// Targets (issue 14): a report build ≤ 15 µs; the bulky error well under 1 ms (its
// size cap stops the copy, so 20 MB of properties must not cost 20 MB of work).
// The rows are measured in fresh processes of their own (BENCH_REPORT_PROCESSES, 5), and
// each figure is the median over them: run in the runner after the other phases the same
// build read 19 µs instead of 12 (the heap and type feedback the earlier phases left),
// and fresh processes of the same code read 11.8 to 18.9 µs from one to the next (how a
// process's code and heap happen to be laid out lasts as long as the process).
import { fork } from 'node:child_process';
import { benchScript, fromSource, repoRoot, track } from '../children';
import { fmt, median, table, verdictText } from '../format';
import { envNumber } from '../settings';
import type { Phase, Verdict } from '../phase';
import type { ReportBuildRow } from '../reportBuild';

export const REPORT_BUILD_TARGETS = { plainMaxUs: 15, bulkyMaxUs: 500 };

function verdicts(rows: ReportBuildRow[]): Verdict[] {
  const us = (prefix: string) => rows.find((r) => r.case.startsWith(prefix))?.microseconds;
  const plain = us('report build: Error');
  const bulky = us('report build: bulky');
  return [
    {
      id: 'reportBuild.plain', what: 'report build, Error in a request (in-process CPU µs)', target: `≤ ${REPORT_BUILD_TARGETS.plainMaxUs} µs`,
      measured: `${fmt(plain, 1)} µs`, pass: plain === undefined ? undefined : plain <= REPORT_BUILD_TARGETS.plainMaxUs,
    },
    {
      id: 'reportBuild.bulky', what: 'report build, bulky error (20 MB of properties)', target: `well under 1 ms (≤ ${REPORT_BUILD_TARGETS.bulkyMaxUs} µs)`,
      measured: `${fmt(bulky, 1)} µs`, pass: bulky === undefined ? undefined : bulky <= REPORT_BUILD_TARGETS.bulkyMaxUs,
    },
  ];
}

function rowsFromFreshProcess(timeoutMs = 300_000): Promise<ReportBuildRow[]> {
  return new Promise((resolve, reject) => {
    const proc = fork(benchScript('reportBuild'), [], {
      cwd: repoRoot,
      env: { ...process.env, NODE_ENV: 'production' },
      execArgv: fromSource ? ['--import', 'tsx'] : [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    track(proc);
    const timer = setTimeout(() => { proc.kill(); reject(new Error(`report build rows not measured within ${timeoutMs} ms`)); }, timeoutMs);
    proc.once('message', (message: { rows?: ReportBuildRow[] }) => {
      clearTimeout(timer);
      if (Array.isArray(message?.rows)) resolve(message.rows);
      else reject(new Error('report build child sent no rows'));
      proc.disconnect();
    });
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`report build child exited (${code}) before sending its rows`)); });
  });
}

export const reportBuildPhase: Phase = {
  name: 'reportBuild',
  async run() {
    const processes = Math.round(envNumber('BENCH_REPORT_PROCESSES', 5, 1));
    const runs: ReportBuildRow[][] = [];
    for (let i = 0; i < processes; i++) runs.push(await rowsFromFreshProcess());
    const rows = runs[0].map((row) => ({ ...row, microseconds: median(runs.map((run) => run.find((r) => r.case === row.case)?.microseconds ?? NaN))! }));
    const checks = verdicts(rows);
    return {
      key: 'reportBuild',
      data: { rows, processes, perProcess: runs.map((run) => run.map((r) => r.microseconds)), targets: REPORT_BUILD_TARGETS },
      verdicts: checks,
      print: () => {
        console.log(`\nReport build and scrub cost (in process, CPU µs per call: best of 15 rounds in each of ${processes} fresh processes, median over the processes)`);
        console.log(table(['case', 'µs', 'report bytes'], rows.map((r) => [r.case, fmt(r.microseconds, 1), r.reportBytes ? String(r.reportBytes) : ''])));
        for (const v of checks) console.log(`  ${v.what}: ${v.measured} (target ${v.target}) ${verdictText(v.pass)}`);
      },
    };
  },
};
