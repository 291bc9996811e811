// One run of the instruction count (phases/instructions.ts), under valgrind:
// `node --predictable instructionChild.js <variant id> <requests>` builds the variant's app
// (breakdown/variants.ts), checks its status, warms it up with a fixed number of requests,
// then drives <requests> more and exits. The phase runs it twice per variant with two request
// counts: what the program costs besides the requests (startup, warm-up, JIT) is the same in
// both and falls out of the difference.
import { probe, requester, timeCalls } from '../support/inProcess';
import { VARIANTS, variantApp } from './variants';

const WARM_UP = 20_000;

async function main(): Promise<void> {
  const variant = VARIANTS.find((v) => v.id === process.argv[2]);
  const requests = Number(process.argv[3]);
  if (!variant || !Number.isInteger(requests)) throw new Error(`usage: instructionChild <variant id> <requests>, got ${process.argv.slice(2).join(' ')}`);
  const { app, close } = variantApp(variant);
  const { status } = await probe(app, 'GET', variant.path, { accept: 'application/json' });
  if (status !== 200) throw new Error(`${variant.id} answered ${status}`);
  const handler = requester(app, 'GET', variant.path, { accept: 'application/json' });
  await timeCalls(handler, WARM_UP);
  await timeCalls(handler, requests);
  await close();
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
