// `npm run readme`: rewrites the README's demo outputs (the blocks between
// `<!-- demo:NAME -->` markers) from a run of the built demo against a live
// MongoDB-speaking server (MONGODB_URI, else the specs' own: spec/support/mongoServer.ts).
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { mongoUri, stopMongoServer } from '../spec/support/mongoServer';
import { BLOCKS, demoTranscript, ROOT, withBlock } from './readmeDemo';

async function main() {
  const file = path.join(ROOT, 'README.md');
  const transcript = await demoTranscript(await mongoUri(`readme_${randomUUID().slice(0, 8)}`));
  let readme = readFileSync(file, 'utf8');
  for (const name of BLOCKS) readme = withBlock(readme, name, transcript[name]);
  writeFileSync(file, readme);
  console.log(`README.md: ${BLOCKS.join(', ')} rewritten from the demo`);
}

main().then(stopMongoServer, async (err) => {
  console.error(err);
  await stopMongoServer();
  process.exitCode = 1;
});
