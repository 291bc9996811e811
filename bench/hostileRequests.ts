// Issue 18, item 2: what a crafted request costs the server, side by side with a plain
// request of the same size. Four cases: a 404 whose Referer is `'eyJ-'.repeat(1750)`
// (the JWT shape's worst case) or as many plain letters, and a JSON body of 30 such
// fields (or plain ones) posted to a route that throws. Target: request-path CPU of each
// crafted request ≤ 1.5× the plain one.
//
// How: the server runs `stack()` in a child process of its own (this file, argument
// `serve`), with no store and no notifiers, on a clock whose now is frozen and whose
// timers never fire, and `eventsPerMinute: 1`, so every measured occurrence is folded
// (as the 101st of a storm is by default; an admitted one costs the request path the same
// queued thunk, see Delivery.offer) and no tally is built while requests are measured.
// The runner sends each case a warm-up of two requests (past the rate limit) and flushes;
// then, per window, it marks the child's CPU (process.cpuUsage), sends the measured
// requests (four sequential loops over keep-alive connections, from this process), and
// reads the child's CPU again: that is the request path. Then it asks the
// child to flush: the CPU of that flush builds and scrubs the one tally of the measured
// requests, the worker's cost of one report, reported separately. Cases alternate over
// BENCH_HOSTILE_ROUNDS (5) rounds of BENCH_HOSTILE_REQUESTS (1000); each figure is the median.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { silentLogger, stack } from 'koa-tripwire';
import { benchScript, startNode, type NodeChild } from './children';
import { fmt, median, table, verdictText } from './format';
import { envNumber } from './settings';
import type { Phase, Verdict } from './phase';

export const HOSTILE_TARGET_RATIO = 1.5;

const CRAFTED = 'eyJ-'.repeat(1750);
const PLAIN = 'abcd'.repeat(1750);
const body = (value: string) => JSON.stringify(Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`field${i}`, value])));

interface Case { name: string; method: 'GET' | 'POST'; path: string; headers: Record<string, string>; body?: string }

const CASES: Case[] = [
  { name: 'crafted Referer, 404', method: 'GET', path: '/api/missing', headers: { referer: CRAFTED } },
  { name: 'plain Referer, 404', method: 'GET', path: '/api/missing', headers: { referer: PLAIN } },
  { name: 'crafted JSON body, route throws', method: 'POST', path: '/api/throws', headers: { 'content-type': 'application/json' }, body: body(CRAFTED) },
  { name: 'plain JSON body, route throws', method: 'POST', path: '/api/throws', headers: { 'content-type': 'application/json' }, body: body(PLAIN) },
];

export interface HostileRow { case: string; bytes: number; requests: number; requestPathUs: number; workerUsPerReport: number }

interface CpuAnswer { cpuUs: number; accepted: number; folded: number }

function send(agent: http.Agent, port: number, c: Case): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: c.method, path: c.path, headers: c.headers, agent }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end(c.body);
  });
}

async function load(port: number, c: Case, count: number, connections = 4, keepAlive = true): Promise<void> {
  const agent = new http.Agent({ keepAlive, maxSockets: connections });
  let left = count;
  await Promise.all(Array.from({ length: connections }, async () => {
    while (left-- > 0) await send(agent, port, c);
  }));
  agent.destroy();
}

function bytesOf(c: Case): number {
  return Buffer.byteLength(c.body ?? '') + Object.values(c.headers).reduce((n, v) => n + v.length, 0);
}

/** One measured window of `requests` of case `c` (all folded), then the flush that builds its tally. */
async function window(child: NodeChild, c: Case, requests: number): Promise<{ requestPathUs: number; workerUs: number }> {
  await child.ask('mark');
  await load(child.port, c, requests);
  const path = await child.ask<CpuAnswer>('read');
  const worker = await child.ask<CpuAnswer>('flush', 600_000);
  return { requestPathUs: path.cpuUs / requests, workerUs: worker.cpuUs };
}

export async function hostileRows(): Promise<HostileRow[]> {
  const child = await startNode('hostile-requests', benchScript('hostileRequests'), ['serve']);
  const requests = Math.round(envNumber('BENCH_HOSTILE_REQUESTS', 1000, 100));
  const rounds = Math.round(envNumber('BENCH_HOSTILE_ROUNDS', 5, 1));
  const runs = new Map<Case, Array<{ requestPathUs: number; workerUs: number }>>(CASES.map((c) => [c, []]));
  try {
    // Past the rate limit (one event a minute here), on fresh connections: the worker builds the admitted one meanwhile.
    for (const c of CASES) {
      await load(child.port, c, 2, 1, false);
      await child.ask('flush', 600_000);
    }
    // Alternating rounds, so the JIT's warming and the machine's drift weigh on every case alike.
    for (let round = 0; round < rounds; round++) {
      for (const c of CASES) {
        runs.get(c)!.push(await window(child, c, requests).catch((err: unknown) => {
          throw new Error(`hostile requests, ${c.name}: ${String(err)}\n${child.output()}`);
        }));
      }
    }
  } finally {
    await child.stop();
  }
  return CASES.map((c) => {
    const list = runs.get(c)!;
    return {
      case: c.name, bytes: bytesOf(c), requests,
      requestPathUs: median(list.map((r) => r.requestPathUs))!, workerUsPerReport: median(list.map((r) => r.workerUs))!,
    };
  });
}

function verdicts(rows: HostileRow[]): Verdict[] {
  const us = (name: string) => rows.find((r) => r.case === name)?.requestPathUs ?? NaN;
  return [['crafted Referer, 404', 'plain Referer, 404'], ['crafted JSON body, route throws', 'plain JSON body, route throws']].map(([crafted, plain]) => {
    const ratio = us(crafted) / us(plain);
    return {
      id: `hostileRequests.${crafted.split(' ')[1]}`, what: `request-path CPU, ${crafted} vs plain of the same size`, target: `≤ ${HOSTILE_TARGET_RATIO}×`,
      measured: `${fmt(ratio, 2)}×`, pass: Number.isFinite(ratio) ? ratio <= HOSTILE_TARGET_RATIO : undefined,
    };
  });
}

export const hostileRequestsPhase: Phase = {
  name: 'hostileRequests',
  async run() {
    const rows = await hostileRows();
    const checks = verdicts(rows);
    return {
      key: 'hostileRequests',
      data: { rows, targetRatio: HOSTILE_TARGET_RATIO },
      verdicts: checks,
      print: () => {
        console.log('\nHostile requests (server CPU µs per request on the request path; the worker\'s CPU to build and scrub one such report, separately)');
        console.log(table(['case', 'bytes', 'requests', 'request path µs', 'worker µs/report'], rows.map((r) => [r.case, String(r.bytes), String(r.requests), fmt(r.requestPathUs, 1), fmt(r.workerUsPerReport, 0)])));
        for (const v of checks) console.log(`  ${v.what}: ${v.measured} (target ${v.target}) ${verdictText(v.pass)}`);
      },
    };
  },
};

/** The server side, in its own process: `stack()` with the frozen clock; answers mark/read/flush over IPC. */
function serve(): void {
  const frozen = Date.now();
  // Now never moves (the rate limit's minute never ends) and timers never fire (no tally mid-measurement).
  const clock = { now: () => frozen, setTimeout: () => ({}), clearTimeout: () => undefined };
  // One event a minute: every measured occurrence is folded, as the 101st of a storm would be by default.
  const slot = { store: null, notifiers: [], logger: silentLogger, delivery: { clock, eventsPerMinute: 1 } };
  const tripwire = stack({ errors: slot, brokenLinks: slot });
  const app = new Koa();
  app.silent = true;
  app.use(tripwire);
  app.use((ctx) => {
    if (ctx.path === '/api/throws') throw new Error('hostile bench route');
  });
  let mark = process.cpuUsage();
  const cpuSince = (from: NodeJS.CpuUsage) => { const d = process.cpuUsage(from); return d.user + d.system; };
  const answer = () => ({ accepted: tripwire.client!.stats.accepted, folded: tripwire.client!.stats.folded });
  process.on('message', (message: { cmd: string; id: number }) => {
    const reply = (data: object) => process.send!({ id: message.id, ...data });
    if (message.cmd === 'mark') { mark = process.cpuUsage(); reply({}); }
    if (message.cmd === 'read') reply({ cpuUs: cpuSince(mark), ...answer() });
    if (message.cmd === 'flush') {
      const from = process.cpuUsage();
      void tripwire.flush().then(() => reply({ cpuUs: cpuSince(from), ...answer() }));
    }
  });
  const server = http.createServer(app.callback()).listen(0, '127.0.0.1', () => {
    console.log(`ready ${(server.address() as AddressInfo).port}`);
  });
}

if (require.main === module && process.argv[2] === 'serve') serve();
