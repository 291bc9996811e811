// The source-map step's cost (issue 19 §2): what the delivery worker spends on one report
// of an error thrown by compiled TypeScript, built then enriched (source context), with
// frames mapped to the .ts source through the map tsc wrote (already parsed and cached:
// the state of every report after a throw site's first) against the same with mapping off.
// The app under test is the orders fixture of the specs, compiled here by the real tsc
// into bench/tmp/, and loaded with source maps disabled, as an app run without
// --enable-source-maps loads it. Target: mapped ≤ 1.5 × unmapped.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Context } from 'koa';
import { buildErrorReport } from '../lib/report/buildErrorReport';
import type { reportOptions } from '../lib/report/reportOptions';
import type { Report } from '../lib/report/Report';
import { sourceContext } from '../lib/report/sourceContext';
import { repoRoot } from './children';

export const SOURCE_MAP_TARGET = { maxRatio: 1.5 };

export interface MappedRow {
  case: string;
  microseconds: number;
  reportBytes: number;
}

/** Compiles the orders fixture with tsc (sourceMap on) and returns the error its code throws. */
async function compiledError(): Promise<unknown> {
  const dir = path.join(repoRoot, 'bench', 'tmp', 'mapped-orders');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const fixture = path.join(repoRoot, 'spec', 'support', 'fixtures', 'ordersApp');
  cpSync(path.join(fixture, 'src'), path.join(dir, 'src'), { recursive: true });
  cpSync(path.join(fixture, 'tsconfig.json'), path.join(dir, 'tsconfig.json'));
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', dir], { cwd: dir });
  process.setSourceMapsEnabled(false);
  const orders = require(path.join(dir, 'dist', 'orders.js')) as { loadOrder(id: string): Promise<unknown> };
  return orders.loadOrder('7').then(() => { throw new Error('the fixture did not throw'); }, (err: unknown) => err);
}

// CPU time per call, best of the rounds (as bench/reportBuild.ts measures its rows).
async function measureAsync(work: () => Promise<unknown>, rounds = 15, minMs = 40): Promise<number> {
  for (let i = 0; i < 200; i++) await work();
  let best = Infinity;
  for (let round = 0; round < rounds; round++) {
    let calls = 0;
    let used = 0;
    const start = process.cpuUsage();
    while (used < minMs * 1000) {
      for (let i = 0; i < 10; i++) await work();
      calls += 10;
      const spent = process.cpuUsage(start);
      used = spent.user + spent.system;
    }
    best = Math.min(best, used / calls);
  }
  return best;
}

/** The two rows, measured in the same run: build + enrich with the map (cached) and without. */
export async function mappedBuildRows(ctx: Context, options: ReturnType<typeof reportOptions>): Promise<MappedRow[]> {
  const err = await compiledError();
  const unmapped = sourceContext({ sourceMaps: false });
  const mapped = sourceContext();
  const sample = await mapped(buildErrorReport(err, ctx, options));
  if (!sample.error?.frames[0]?.mapped) throw new Error('the bench error was not mapped: its rows would compare nothing');
  const row = async (name: string, enrich: (report: Report) => Promise<Report>): Promise<MappedRow> => ({
    case: name,
    microseconds: Math.round((await measureAsync(() => enrich(buildErrorReport(err, ctx, options)))) * 10) / 10,
    reportBytes: Buffer.byteLength(JSON.stringify(await enrich(buildErrorReport(err, ctx, options)))),
  });
  // Alternated twice, each keeping its best: neither row gains from running second.
  const first = [await row('worker build, compiled JS frames (source maps off)', unmapped), await row('worker build, frames mapped to TypeScript (map cached)', mapped)];
  const again = [await row(first[0].case, unmapped), await row(first[1].case, mapped)];
  return first.map((r, i) => ({ ...r, microseconds: Math.min(r.microseconds, again[i].microseconds) }));
}
