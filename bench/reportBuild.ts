// In-process cost of building one report (no HTTP, no delivery): the µs a failing
// request spends in buildErrorReport, for an ordinary error, the bulky error of issue 11
// (25 properties × 100 strings × 8 KB), an axios error from a real upstream 502, and
// the filter's cost on text with secret-shape detection on and off. One row times a fresh
// Error per call, thrown by a route of a real Koa app and reported by the app's own
// middleware (driven in process, bench/support/inProcess.ts): its first `.stack` read makes
// V8 format the stack (about 10 µs), which the reused Error of the first row has done once.
// `reportBuildRows()` returns the rows; bench/run.ts prints them.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import Koa, { type Context } from 'koa';
import axios from 'axios';
import { buildErrorReport } from '../lib/report/buildErrorReport';
import { reportOptions } from '../lib/report/reportOptions';
import { SafeReportFilter } from '../lib/report/scrub/SafeReportFilter';
import type { Report } from '../lib/report/Report';
import { requester, timeCalls, type Handler } from './support/inProcess';
import { mappedBuildRows } from './reportBuildMapped';

export interface ReportBuildRow {
  case: string;
  /** CPU µs per call, best of the rounds. */
  microseconds: number;
  /** JSON size of one result, bytes (0 where the result is not a report). */
  reportBytes: number;
}

const REQUEST_HEADERS = {
  host: 'api.example.test',
  'user-agent': 'Mozilla/5.0 (bench)',
  accept: 'application/json',
  authorization: 'Bearer abc.def.ghi',
  cookie: 'sid=s3cr3t; theme=dark',
  'content-type': 'application/json',
};

function fakeContext(): Context {
  const app = new Koa();
  const req = new http.IncomingMessage(new net.Socket());
  req.method = 'POST';
  req.url = '/api/orders/42?page=2&token=abc123';
  req.headers = { ...REQUEST_HEADERS };
  const res = new http.ServerResponse(req);
  const ctx = app.createContext(req, res);
  (ctx.request as { body?: unknown }).body = { item: 'book', quantity: 2, password: 'hunter2' };
  ctx.state.requestId = 'bench-request-id';
  return ctx;
}

/** The error of issue 11: 25 properties of 100 strings of 8 KB of prose each (about 20 MB). */
export function bulkyError(): Error {
  const err = new Error('bulky') as Error & Record<string, unknown>;
  const chunk = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore. '.repeat(84).slice(0, 8 * 1024);
  for (let p = 0; p < 25; p++) err[`data${p}`] = Array.from({ length: 100 }, () => chunk);
  return err;
}

/** A real axios error: an upstream on loopback answering 502 with credential headers. */
export async function axiosError(): Promise<unknown> {
  const server = http.createServer((_req, res) => {
    res.writeHead(502, { 'set-cookie': 'upstream-session=planted-cookie', 'x-auth-token': 'planted-upstream-token', 'content-type': 'text/plain' });
    res.end('bad gateway');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    await axios.get(`http://127.0.0.1:${port}/v1/charge?api_key=planted-query-key`, {
      headers: { 'X-Api-Key': 'planted-api-key', Authorization: 'Bearer planted-bearer' },
    });
    throw new Error('the upstream answered 2xx');
  } catch (err) {
    return err;
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

// CPU time (process.cpuUsage), best of several rounds: on a shared machine wall time
// mostly measures the neighbours, while the best round's CPU time is what one call costs.
function measure(work: () => unknown, rounds = 15, minMs = 40): number {
  for (let i = 0; i < 200; i++) work(); // warm-up: let the JIT settle
  let best = Infinity;
  for (let round = 0; round < rounds; round++) {
    let calls = 0;
    const start = process.cpuUsage();
    let used = 0;
    while (used < minMs * 1000) {
      for (let i = 0; i < 10; i++) work();
      calls += 10;
      const spent = process.cpuUsage(start);
      used = spent.user + spent.system;
    }
    best = Math.min(best, used / calls);
  }
  return best;
}

/** The request of fakeContext() through a Koa app whose route throws a fresh Error; `build` sees it in the app's catch. */
function throwingApp(build: ((err: unknown, ctx: Context) => unknown) | null): Handler {
  const app = new Koa();
  app.silent = true;
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      if (build) ctx.state.report = build(err, ctx);
      ctx.status = 500;
      ctx.body = 'failed';
    }
  });
  app.use(async (ctx) => {
    (ctx.request as { body?: unknown }).body = { item: 'book', quantity: 2, password: 'hunter2' };
    ctx.state.requestId = 'bench-request-id';
    throw new Error('order 42 failed');
  });
  return requester(app, 'POST', '/api/orders/42?page=2&token=abc123', REQUEST_HEADERS);
}

/**
 * CPU µs a report build adds to a request that throws a fresh Error: the same app with and
 * without the build, in alternating rounds, median of the per-round differences.
 */
async function freshErrorBuild(options: ReturnType<typeof reportOptions>, rounds = 15, calls = 2000): Promise<{ microseconds: number; report: Report | undefined }> {
  let report: Report | undefined;
  const withBuild = throwingApp((err, ctx) => (report = buildErrorReport(err, ctx, options)));
  const without = throwingApp(null);
  await timeCalls(withBuild, calls);
  await timeCalls(without, calls);
  const differences: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const first = round % 2 === 0 ? withBuild : without;
    const a = await timeCalls(first, calls);
    const b = await timeCalls(first === withBuild ? without : withBuild, calls);
    differences.push(first === withBuild ? a - b : b - a);
  }
  differences.sort((x, y) => x - y);
  return { microseconds: differences[Math.floor(rounds / 2)], report };
}

// One message of a failing request (~300 characters), made unique per call so that the
// filter's memory of texts it has seen does not answer.
const SCRUB_TEXT = [
  'GET https://api.example.test/v1/items?page=2&sort=asc failed after 3 attempts',
  'upstream said {"error":"invalid_grant","token":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"}',
  'charge declined for card 4111 1111 1111 1111 (host=db,user=app,password=S3cret)',
].join('\n');

const LONG_TEXT = 'lorem ipsum dolor sit amet, consectetur adipiscing elit; sed do eiusmod tempor incididunt ut labore '.repeat(80).slice(0, 8192);
let serial = 0;
// A call counter in letters: digits would wake the card-number rule on every call.
const letters = (n: number) => n.toString(26).replace(/[0-9]/g, (d) => 'qrstuvwxyz'[Number(d)]);

/** Rows for `npm run bench`: µs per report build and per filter pass. */
export async function reportBuildRows(): Promise<ReportBuildRow[]> {
  const options = reportOptions({ environment: 'bench', release: null });
  const ctx = fakeContext();
  const plain = new Error('boom 42');
  const bulky = bulkyError();
  const fromAxios = await axiosError();
  const withShapes = new SafeReportFilter();
  const withoutShapes = new SafeReportFilter({ secretPatterns: [] });
  const row = (name: string, work: () => unknown, report?: unknown): ReportBuildRow => ({
    case: name,
    microseconds: Math.round(measure(work) * 10) / 10,
    reportBytes: report === undefined ? 0 : Buffer.byteLength(JSON.stringify(report)),
  });
  const rows = [
    row('report build: Error in a request', () => buildErrorReport(plain, ctx, options), buildErrorReport(plain, ctx, options)),
    row('report build: bulky error (20 MB of properties)', () => buildErrorReport(bulky, ctx, options), buildErrorReport(bulky, ctx, options)),
    row('report build: axios error (upstream 502)', () => buildErrorReport(fromAxios, ctx, options), buildErrorReport(fromAxios, ctx, options)),
    row('filter a 300-char message, secret shapes on', () => withShapes.cleanseText(`${SCRUB_TEXT} #${letters(++serial)}`)),
    row('filter a 300-char message, secret shapes off', () => withoutShapes.cleanseText(`${SCRUB_TEXT} #${letters(++serial)}`)),
    row('filter an 8 KB text, secret shapes on', () => withShapes.cleanseText(`${LONG_TEXT}${letters(++serial)}`)),
    row('filter an 8 KB text, secret shapes off', () => withoutShapes.cleanseText(`${LONG_TEXT}${letters(++serial)}`)),
  ];
  // Measured last: thousands of Koa requests leave a heap that made the filter rows after
  // them read up to twice their cost. Shown second, next to the reused Error's row.
  const fresh = await freshErrorBuild(options);
  rows.splice(1, 0, {
    case: 'report build: fresh Error thrown in a Koa request',
    microseconds: Math.round(fresh.microseconds * 10) / 10,
    reportBytes: fresh.report === undefined ? 0 : Buffer.byteLength(JSON.stringify(fresh.report)),
  });
  // Last: it disables source maps in this process, as an app run without the flag has them.
  rows.push(...(await mappedBuildRows(ctx, options)));
  return rows;
}

// Run alone (`node dist/bench/reportBuild.js`) it prints the rows; forked by the bench's
// reportBuild phase it sends them to the runner.
if (require.main === module) {
  reportBuildRows().then(
    (rows) => (process.send ? process.send({ rows }) : console.table(rows)),
    (err) => { console.error(err); process.exitCode = 1; },
  );
}
