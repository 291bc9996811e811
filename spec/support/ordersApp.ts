// Runs spec/support/fixtures/ordersApp from a temporary directory (see server.js there):
// a real app in its own process, with its own root, answering one real HTTP request.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Report } from '../../lib/report/Report';

const run = promisify(execFile);
const REPO = path.resolve(__dirname, '../..');
export const ORDERS_APP = path.join(__dirname, 'fixtures', 'ordersApp');

export interface OrdersOutcome {
  status: number;
  reports: Report[];
  culprits: string[];
  alerts: string[];
}

/** A fresh temporary directory holding a copy of the orders app (real path: /tmp may be a link). */
export function ordersAppCopy(prefix: string): string {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), prefix)));
  cpSync(ORDERS_APP, dir, { recursive: true });
  return dir;
}

/** Starts the app in `dir` with `module` as its code, and returns what it reported (also stored at `mongoUri` if given). */
export async function runOrdersApp(dir: string, module: string, mongoUri?: string): Promise<OrdersOutcome> {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_PATH: path.join(REPO, 'node_modules'), TRIPWIRE_LIB: path.join(REPO, 'lib'), ORDERS_MODULE: module };
  if (mongoUri) env.TRIPWIRE_MONGO_URI = mongoUri;
  else delete env.TRIPWIRE_MONGO_URI;
  delete env.NODE_OPTIONS;
  const { stdout } = await run(process.execPath, ['--require', require.resolve('tsx/cjs'), 'server.js'], { cwd: dir, env, timeout: 60_000 });
  return JSON.parse(stdout) as OrdersOutcome;
}

/** Compiles the app's TypeScript in `dir` with the real tsc (its tsconfig: sourceMap on), plus `flags`. */
export async function compileOrdersApp(dir: string, flags: string[] = []): Promise<void> {
  await run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', dir, ...flags], { cwd: dir, timeout: 120_000 });
}
