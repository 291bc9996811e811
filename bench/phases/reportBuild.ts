// In-process cost of building one report (bench/reportBuild.ts): an ordinary error, the
// bulky error of issue 11, an axios error from a real upstream 502, and the filter on
// text with secret-shape detection on and off. CPU µs per call, best of 15 rounds.
// Targets (issue 14): a report build ≤ 15 µs; the bulky error well under 1 ms (its
// size cap stops the copy, so 20 MB of properties must not cost 20 MB of work).
import { fmt, table, verdictText } from '../format';
import type { Phase, Verdict } from '../phase';
import { reportBuildRows, type ReportBuildRow } from '../reportBuild';

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

export const reportBuildPhase: Phase = {
  name: 'reportBuild',
  async run() {
    const rows = await reportBuildRows();
    const checks = verdicts(rows);
    return {
      key: 'reportBuild',
      data: { rows, targets: REPORT_BUILD_TARGETS },
      verdicts: checks,
      print: () => {
        console.log('\nReport build and scrub cost (in process, CPU µs per call, best of 15 rounds)');
        console.log(table(['case', 'µs', 'report bytes'], rows.map((r) => [r.case, fmt(r.microseconds, 1), r.reportBytes ? String(r.reportBytes) : ''])));
        for (const v of checks) console.log(`  ${v.what}: ${v.measured} (target ${v.target}) ${verdictText(v.pass)}`);
      },
    };
  },
};
