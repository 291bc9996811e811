// In-process breakdown: what each part of the stack, and each Koa operation the parts
// trigger, costs per request, without sockets (see support/inProcess.ts). Every variant
// is bare Koa + @koa/router with one thing added (breakdown/variants.ts); rounds alternate
// the variants' order and each figure is the median over rounds of (variant − its base)
// measured in the same round, so drift of a shared machine falls on both sides of each
// difference.
//
// One process per variant (the default): 20 Koa apps in one process make Koa's and
// node's call sites (compose's dispatch, the context getters, the body setter) see 20
// middleware chains, so V8 leaves them megamorphic and every added async frame or property
// read costs more than it does in a real server running one app. Measured on this branch
// (loaded 2-core machine, load average 2–4): one async middleware alone cost +0.54 and
// +0.69 µs over bare Koa with every app in one process, −0.18 to +0.37 µs (median +0.10) in
// a process of its own; the body parser alone (an async frame and a header check) +0.45 and
// +0.67 against −0.48 to +0.84 (median −0.01). The parts' own work (a header, a UUID, the
// envelope) is not inflated: the request id alone is ~2 µs either way.
// Each variant therefore runs in a child process of its own (breakdown/child.ts) next to a
// copy of its base, timed in the same process in alternating order: two processes running
// the same app differ by up to 20 % in CPU per request (layout, where the OS ran them), so a
// difference is only fair within one process. The rounds ask the children one at a time.
// Settings (env): BENCH_BREAKDOWN_ROUNDS (21), BENCH_BREAKDOWN_REQUESTS (2000 per round and
// variant), BENCH_BREAKDOWN_PROCESSES ("each", or "one": every app in this process, as before).
import { benchScript, startNode } from '../children';
import { roundOrder } from '../cases';
import { VARIANTS, variantApp, type Group } from '../breakdown/variants';
import { fmt, median, note, table } from '../format';
import type { Phase } from '../phase';
import { envNumber, ERROR_PATH, HAPPY_PATH } from '../settings';
import { probe, requester, timeCalls } from '../support/inProcess';

/** One variant ready to be timed: CPU µs per request of one round (and of its base, when timed alongside). */
interface Timer {
  status: number;
  time(): Promise<{ us: number; baseUs?: number }>;
  stop(): Promise<void>;
}

async function timerInProcess(v: (typeof VARIANTS)[number], requests: number, headers: Record<string, string>): Promise<Timer> {
  const { app, close } = variantApp(v);
  const { status } = await probe(app, 'GET', v.path, headers);
  const handler = requester(app, 'GET', v.path, headers);
  await timeCalls(handler, requests * 2);
  return { status, time: async () => ({ us: await timeCalls(handler, requests) }), stop: close };
}

async function timerInChild(v: (typeof VARIANTS)[number], requests: number, headers: Record<string, string>): Promise<Timer> {
  const child = await startNode(`breakdown:${v.id}`, benchScript('breakdown/child'), [v.id], {
    BENCH_BREAKDOWN_REQUESTS: String(requests),
    BENCH_BREAKDOWN_HEADERS: JSON.stringify(headers),
  });
  const first = await child.ask<{ us: number; status: number }>('time', 60_000);
  return {
    status: first.status,
    time: () => child.ask<{ us: number; baseUs?: number }>('time', 60_000),
    stop: () => child.stop(),
  };
}

interface Row {
  id: string;
  label: string;
  group: Group;
  base?: string;
  /** µs per request, median over rounds. */
  us: number;
  /** Over its base, median over rounds of the paired differences. */
  overBaseUs?: number;
  /** Of the whole stack's extra over bare (happy-path parts only). */
  share?: number;
  status: number;
}

export const breakdownPhase: Phase = {
  name: 'breakdown',
  async run(env) {
    const rounds = Math.round(envNumber('BENCH_BREAKDOWN_ROUNDS', 21, 1));
    const requests = Math.round(envNumber('BENCH_BREAKDOWN_REQUESTS', 2000, 100));
    const mode = process.env.BENCH_BREAKDOWN_PROCESSES?.trim() || 'each';
    if (mode !== 'each' && mode !== 'one') throw new Error(`BENCH_BREAKDOWN_PROCESSES must be "each" or "one", got ${mode}`);
    const where = mode === 'each' ? 'each variant in a process of its own' : 'every variant in one process';
    note(`\n== in-process breakdown: ${rounds} rounds × ${requests} requests per variant, ${where}`);
    const timers = new Map<string, Timer>();
    const statuses = new Map<string, number>();
    try {
      for (const v of VARIANTS) {
        const timer = await (mode === 'each' ? timerInChild : timerInProcess)(v, requests, env.settings.headers);
        timers.set(v.id, timer);
        statuses.set(v.id, timer.status);
      }
      const samples = new Map<string, number[]>(VARIANTS.map((v) => [v.id, []]));
      // Over its base: in its own process, against the base timed there; in one process, against the base's process-wide sample.
      const extras = new Map<string, number[]>(VARIANTS.map((v) => [v.id, []]));
      for (let round = 0; round < rounds; round++) {
        for (const v of roundOrder(VARIANTS, round)) {
          const { us, baseUs } = await timers.get(v.id)!.time();
          samples.get(v.id)!.push(us);
          if (baseUs !== undefined) extras.get(v.id)!.push(us - baseUs);
        }
      }
      for (const v of VARIANTS) {
        if (v.base && extras.get(v.id)!.length === 0) extras.set(v.id, samples.get(v.id)!.map((x, i) => x - samples.get(v.base!)![i]));
      }
      const rows: Row[] = VARIANTS.map((v) => {
        const own = samples.get(v.id)!;
        return {
          id: v.id,
          label: v.label,
          group: v.group,
          ...(v.base ? { base: v.base } : {}),
          us: median(own)!,
          ...(v.base ? { overBaseUs: median(extras.get(v.id)!)! } : {}),
          status: statuses.get(v.id)!,
        };
      });
      const whole = rows.find((r) => r.id === 'stack')!.overBaseUs!;
      for (const r of rows) if (VARIANTS.find((v) => v.id === r.id)!.part) r.share = r.overBaseUs! / whole;
      const partsSum = rows.filter((r) => r.share !== undefined).reduce((sum, r) => sum + r.overBaseUs!, 0);
      const data = { rounds, requestsPerRound: requests, processes: mode, rows, partsSumUs: partsSum, wholeUs: whole };
      return { key: 'breakdown', data, print: () => print(rows, partsSum, rounds, requests, where), verdicts: [] };
    } finally {
      await Promise.all([...timers.values()].map((t) => t.stop()));
    }
  },
};

function print(rows: Row[], partsSum: number, rounds: number, requests: number, where: string): void {
  const line = (r: Row) => [
    r.label,
    String(r.status),
    fmt(r.us, 2),
    r.overBaseUs === undefined ? '—' : `${r.overBaseUs >= 0 ? '+' : ''}${fmt(r.overBaseUs, 2)}`,
    r.share === undefined ? '' : `${fmt(r.share * 100, 0)} %`,
  ];
  note(`\nIn-process breakdown — CPU µs per request, no sockets, ${where}, median of ${rounds} alternating rounds × ${requests} requests`);
  note(`GET ${HAPPY_PATH}: each part alone on bare Koa, and the whole`);
  note(table(['part', 'status', 'µs/req', 'over bare µs', 'share of stack\'s extra'], rows.filter((r) => r.group === 'happy').map(line)));
  note(`  sum of the parts alone: +${fmt(partsSum, 2)} µs`);
  note(`Koa operations the parts trigger (each inside one async middleware, over that middleware alone)`);
  note(table(['operation', 'status', 'µs/req', 'over base µs', ''], rows.filter((r) => r.group === 'operation').map(line)));
  note(`GET ${ERROR_PATH}: the error path`);
  note(table(['variant', 'status', 'µs/req', 'over bare µs', ''], rows.filter((r) => r.group === 'error').map(line)));
  const bare = rows.find((r) => r.id === 'error:bare')!.us;
  const none = rows.find((r) => r.id === 'error:none')!.us;
  note(`  bare ÷ tripwire-none, in-process: ${fmt(bare / none, 3)}`);
}
