// One breakdown variant in a process of its own (phases/breakdown.ts starts one per
// variant): `node child.js <variant id>`. It builds the variant's app and its base's (bare
// Koa, or the one async middleware the operations are measured over), checks their status,
// warms them up, prints `ready 0` (the runner's protocol, no port: nothing listens) and then
// answers `{ cmd: 'time', id }` over IPC with the CPU µs per request of BENCH_BREAKDOWN_REQUESTS
// requests of each, one after the other, their order swapped on every call. Two apps, not
// twenty: Koa's call sites stay (at most) polymorphic, and the base is timed in the same
// process, so what differs between processes (their layout, where the OS ran them)
// falls on both sides of the difference (see the phase's header).
import { probe, requester, timeCalls } from '../support/inProcess';
import { VARIANTS, variantApp, type Variant } from './variants';

async function main(): Promise<void> {
  const variant = VARIANTS.find((v) => v.id === process.argv[2]);
  if (!variant) throw new Error(`breakdown child: unknown variant ${process.argv[2]}`);
  const requests = Number(process.env.BENCH_BREAKDOWN_REQUESTS);
  const headers = JSON.parse(process.env.BENCH_BREAKDOWN_HEADERS ?? '{}') as Record<string, string>;
  const base = variant.base ? VARIANTS.find((v) => v.id === variant.base) : undefined;
  const own = await ready(variant, requests, headers);
  const paired = base ? await ready(base, requests, headers) : undefined;
  let calls = 0;
  process.on('message', (message: { cmd?: string; id?: number }) => {
    if (message?.cmd !== 'time') return;
    void (async () => {
      let us: number;
      let baseUs: number | undefined;
      if (paired && calls++ % 2 === 1) {
        baseUs = await timeCalls(paired.handler, requests);
        us = await timeCalls(own.handler, requests);
      } else {
        us = await timeCalls(own.handler, requests);
        if (paired) baseUs = await timeCalls(paired.handler, requests);
      }
      process.send!({ id: message.id, us, baseUs, status: own.status });
    })();
  });
  const stop = () => { void Promise.all([own.close(), paired?.close()]).finally(() => process.exit(0)); };
  process.on('disconnect', stop);
  process.on('SIGTERM', stop);
  process.stdout.write('ready 0\n');
}

async function ready(variant: Variant, requests: number, headers: Record<string, string>) {
  const { app, close } = variantApp(variant);
  const { status } = await probe(app, 'GET', variant.path, headers);
  const handler = requester(app, 'GET', variant.path, headers);
  await timeCalls(handler, requests * 2);
  return { status, handler, close };
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
