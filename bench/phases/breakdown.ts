// In-process breakdown: what each part of the stack, and each Koa operation the parts
// trigger, costs per request, without sockets (see support/inProcess.ts). Every variant
// is bare Koa + @koa/router with one thing added; rounds alternate the variants' order
// and each figure is the median over rounds of (variant − its base) measured in the same
// round, so drift of a shared machine falls on both sides of each difference.
// Settings (env): BENCH_BREAKDOWN_ROUNDS (21), BENCH_BREAKDOWN_REQUESTS (2000 per round and variant).
import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import { bodyParser, brokenLinkReporter, errorReporter, requestContext, responseFormatter, silentLogger, stack } from 'koa-tripwire';
import { roundOrder } from '../cases';
import { fmt, median, note, table } from '../format';
import type { Phase } from '../phase';
import { benchApp, benchRouter } from '../servers/serve';
import { envNumber, ERROR_PATH, HAPPY_PATH } from '../settings';
import { probe, requester, timeCalls, type Handler } from '../support/inProcess';

type Group = 'happy' | 'operation' | 'error';

interface Variant {
  id: string;
  label: string;
  group: Group;
  /** The variant this one is measured against. */
  base?: string;
  path: string;
  middleware?: () => Middleware & { close?: (ms?: number) => Promise<void> };
  /** Counted in the sum of the parts (the stack's own parts, not the whole or the operations). */
  part?: boolean;
}

const nowhere = { store: null, notifiers: [], logger: silentLogger };

/** A Koa operation inside one async middleware, after the route, as the formatter runs it. */
function afterRoute(op: (ctx: Parameters<Middleware>[0]) => unknown): () => Middleware {
  return () => async (ctx, next) => {
    await next();
    ctx.state.sink = op(ctx);
  };
}

const floor: Middleware = async (ctx, next) => {
  ctx.res.setHeader('X-Request-Id', randomUUID());
  await next();
  (ctx.response as unknown as { _body: unknown })._body = { success: true, result: ctx.body, message: null };
};

let counter = 0;
const VARIANTS: Variant[] = [
  { id: 'bare', label: 'bare Koa + @koa/router', group: 'happy', path: HAPPY_PATH },
  { id: 'requestId', label: 'request id (requestContext)', group: 'happy', base: 'bare', path: HAPPY_PATH, part: true, middleware: () => requestContext() },
  { id: 'formatter', label: 'envelope (responseFormatter)', group: 'happy', base: 'bare', path: HAPPY_PATH, part: true, middleware: () => responseFormatter() },
  { id: 'errors', label: 'error reporter, nothing thrown', group: 'happy', base: 'bare', path: HAPPY_PATH, part: true, middleware: () => errorReporter(nowhere) },
  { id: 'links', label: 'broken-link reporter, no 404', group: 'happy', base: 'bare', path: HAPPY_PATH, part: true, middleware: () => brokenLinkReporter(nowhere) },
  { id: 'bodyParser', label: 'body parser, skipped (no body)', group: 'happy', base: 'bare', path: HAPPY_PATH, part: true, middleware: () => bodyParser() },
  { id: 'stack', label: 'whole stack()', group: 'happy', base: 'bare', path: HAPPY_PATH, middleware: () => stack({ errors: nowhere, brokenLinks: nowhere }) },
  // What keeping the product costs at the least: the header and the envelope, nothing checked.
  { id: 'floor', label: 'floor: X-Request-Id + envelope, nothing else', group: 'happy', base: 'bare', path: HAPPY_PATH, middleware: () => floor },

  { id: 'async', label: 'one async middleware (await next())', group: 'operation', base: 'bare', path: HAPPY_PATH, middleware: () => async (_ctx, next) => { await next(); } },
  { id: 'op:set', label: 'ctx.set(X-Request-Id)', group: 'operation', base: 'async', path: HAPPY_PATH, middleware: afterRoute((ctx) => ctx.set('X-Request-Id', 'req-1')) },
  { id: 'op:get', label: 'ctx.get(X-Request-Id)', group: 'operation', base: 'async', path: HAPPY_PATH, middleware: afterRoute((ctx) => ctx.get('X-Request-Id')) },
  { id: 'op:body', label: 'ctx.body = envelope (2nd assignment)', group: 'operation', base: 'async', path: HAPPY_PATH, middleware: afterRoute((ctx) => { ctx.body = { success: true, result: ctx.body, message: null }; }) },
  { id: 'op:swap', label: 'envelope swapped in (no setter)', group: 'operation', base: 'async', path: HAPPY_PATH, middleware: afterRoute((ctx) => { (ctx.response as unknown as { _body: unknown })._body = { success: true, result: ctx.body, message: null }; }) },
  { id: 'op:type', label: 'ctx.response.type', group: 'operation', base: 'async', path: HAPPY_PATH, middleware: afterRoute((ctx) => ctx.response.type) },
  { id: 'op:path', label: 'ctx.path', group: 'operation', base: 'async', path: HAPPY_PATH, middleware: afterRoute((ctx) => ctx.path) },
  { id: 'op:uuid', label: 'randomUUID()', group: 'operation', base: 'async', path: HAPPY_PATH, middleware: afterRoute(() => randomUUID()) },
  { id: 'op:counter', label: 'prefix + counter id', group: 'operation', base: 'async', path: HAPPY_PATH, middleware: afterRoute(() => `k3f9a-${(++counter).toString(36)}`) },

  { id: 'error:bare', label: 'bare Koa (its text/plain 500)', group: 'error', path: ERROR_PATH },
  { id: 'error:envelope', label: 'stack(), no reporters (envelope only)', group: 'error', base: 'error:bare', path: ERROR_PATH, middleware: () => stack({ errors: false, brokenLinks: false }) },
  { id: 'error:none', label: 'stack() reporting nowhere (tripwire-none)', group: 'error', base: 'error:bare', path: ERROR_PATH, middleware: () => stack({ errors: nowhere, brokenLinks: nowhere }) },
];

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
    note(`\n== in-process breakdown: ${rounds} rounds × ${requests} requests per variant`);
    const closers: Array<() => Promise<void>> = [];
    const handlers = new Map<string, Handler>();
    const statuses = new Map<string, number>();
    try {
      for (const v of VARIANTS) {
        const app = benchApp();
        if (v.middleware) {
          const mw = v.middleware();
          if (mw.close) closers.push(() => mw.close!(500));
          app.use(mw);
        }
        const router = benchRouter();
        app.use(router.routes());
        app.use(router.allowedMethods());
        const headers = env.settings.headers;
        statuses.set(v.id, (await probe(app, 'GET', v.path, headers)).status);
        const handler = requester(app, 'GET', v.path, headers);
        await timeCalls(handler, requests * 2);
        handlers.set(v.id, handler);
      }
      const samples = new Map<string, number[]>(VARIANTS.map((v) => [v.id, []]));
      for (let round = 0; round < rounds; round++) {
        for (const v of roundOrder(VARIANTS, round)) samples.get(v.id)!.push(await timeCalls(handlers.get(v.id)!, requests));
      }
      const rows: Row[] = VARIANTS.map((v) => {
        const own = samples.get(v.id)!;
        const base = v.base ? samples.get(v.base)! : undefined;
        return {
          id: v.id,
          label: v.label,
          group: v.group,
          ...(v.base ? { base: v.base } : {}),
          us: median(own)!,
          ...(base ? { overBaseUs: median(own.map((x, i) => x - base[i]))! } : {}),
          status: statuses.get(v.id)!,
        };
      });
      const whole = rows.find((r) => r.id === 'stack')!.overBaseUs!;
      for (const r of rows) if (VARIANTS.find((v) => v.id === r.id)!.part) r.share = r.overBaseUs! / whole;
      const partsSum = rows.filter((r) => r.share !== undefined).reduce((sum, r) => sum + r.overBaseUs!, 0);
      const data = { rounds, requestsPerRound: requests, rows, partsSumUs: partsSum, wholeUs: whole };
      return { key: 'breakdown', data, print: () => print(rows, partsSum, rounds, requests), verdicts: [] };
    } finally {
      await Promise.all(closers.map((close) => close()));
    }
  },
};

function print(rows: Row[], partsSum: number, rounds: number, requests: number): void {
  const line = (r: Row) => [
    r.label,
    String(r.status),
    fmt(r.us, 2),
    r.overBaseUs === undefined ? '—' : `${r.overBaseUs >= 0 ? '+' : ''}${fmt(r.overBaseUs, 2)}`,
    r.share === undefined ? '' : `${fmt(r.share * 100, 0)} %`,
  ];
  note(`\nIn-process breakdown — µs per request, no sockets, median of ${rounds} rounds × ${requests} requests`);
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
