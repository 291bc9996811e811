// Runs the README's quick start as a user would, from an app directory where the packed
// koa-tripwire is installed: `node scripts/ci-quickstart.mjs <appDir> cjs|esm`.
// The snippet is taken from README.md as it is (only the port changes); the script
// makes real requests to it on loopback, checks the answers the README states, then
// sends SIGTERM and expects the process to shut down gracefully and exit by itself.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const [appDir, mode] = process.argv.slice(2);
if (!appDir || !['cjs', 'esm'].includes(mode)) {
  console.error('usage: ci-quickstart.mjs <appDir> cjs|esm');
  process.exit(2);
}
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const quickStart = /```js\n([\s\S]*?)```/.exec(readme)[1];
const claimed = /`GET \/api\/notes\/1` answers `([^`]+)`/.exec(readme)?.[1];
if (!claimed) fail('the README no longer states what GET /api/notes/1 answers');

let code = quickStart.replace('app.listen(3000)', "app.listen(Number(process.env.PORT), '127.0.0.1')");
if (code === quickStart) fail('the quick start no longer calls app.listen(3000)');
if (mode === 'esm') {
  code = code.replace(/^const (\w+|\{[^}]*\}) = require\('([^']+)'\);$/gm, "import $1 from '$2';");
  if (code.includes('require(')) fail('the quick start has a require() the ES module version cannot translate');
}
const file = path.join(appDir, mode === 'esm' ? 'quickstart.mjs' : 'quickstart.cjs');
writeFileSync(file, code);

const port = await freePort();
const env = { ...process.env, PORT: String(port) };
for (const name of ['MONGODB_URI', 'SLACK_WEBHOOK_URL', 'NODE_PATH']) delete env[name];
env.TRIPWIRE_DASHBOARD_PASSWORD = 'letmein-please'; // the quick start's dashboard asks for one
const child = spawn(process.execPath, [file], { cwd: appDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
let output = '';
child.stdout.on('data', (c) => { output += c; });
child.stderr.on('data', (c) => { output += c; });
const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

try {
  const base = `http://127.0.0.1:${port}`;
  await waitForServer(base, exited);
  const note = await fetch(`${base}/api/notes/1`);
  expect(note.status === 200, `GET /api/notes/1 answered ${note.status}`);
  const noteText = await note.text();
  expect(noteText === claimed, `GET /api/notes/1 answered ${noteText}, the README says ${claimed}`);
  expect(/^[0-9a-f-]{36}$/.test(note.headers.get('x-request-id') ?? ''), 'no X-Request-Id on the answer');
  const csv = await fetch(`${base}/api/notes.csv`);
  expect(csv.headers.get('content-type')?.startsWith('text/csv') && (await csv.text()) === 'id,title\n1,Hello\n', 'the CSV route is not left raw');
  const missing = await fetch(`${base}/api/nothing`);
  const missingText = await missing.text();
  expect(missing.status === 404 && missingText === '{"success":false,"result":null,"message":"Not Found"}', `GET /api/nothing answered ${missing.status} ${missingText}`);

  // No MONGODB_URI here: the dashboard reads the in-memory store.
  const [, dashboardPath, dashboardUser] = /on the dashboard at `http:\/\/localhost:3000(\/[^`]*)` \(user `(\w+)`\)/.exec(readme) ?? [];
  expect(dashboardPath, 'the README no longer says where the dashboard is');
  const login = `Basic ${Buffer.from(`${dashboardUser}:${env.TRIPWIRE_DASHBOARD_PASSWORD}`).toString('base64')}`;
  const dashboard = await fetch(`${base}${dashboardPath}`, { headers: { authorization: login } });
  expect(dashboard.status === 200, `the dashboard answered ${dashboard.status} without MONGODB_URI`);

  child.kill('SIGTERM');
  // unref'd: the deadline must not keep this script alive once the quick start has exited.
  const outcome = await Promise.race([exited, new Promise((r) => setTimeout(() => r('still running'), 60_000).unref())]);
  expect(outcome !== 'still running', 'the quick start did not exit within 60 s of SIGTERM');
  expect(outcome.code === 0, `the quick start exited with ${JSON.stringify(outcome)}`);
  console.log(`ci: quick start (${mode}) answers as the README says and exits on SIGTERM`);
} catch (err) {
  child.kill('SIGKILL');
  fail(`${err.message}\n--- quick start output ---\n${output}`);
}

function expect(ok, message) {
  if (!ok) throw new Error(message);
}

function fail(message) {
  console.error(`ci: quick start (${mode}): ${message}`);
  process.exit(1);
}

async function waitForServer(base, exited) {
  let gone = false;
  exited.then(() => { gone = true; });
  for (let i = 0; i < 600; i++) {
    if (gone) throw new Error('the quick start exited before listening');
    try {
      await fetch(`${base}/api/notes/1`, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error('the quick start did not listen within 60 s');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    }).on('error', reject);
  });
}
