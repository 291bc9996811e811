// The README's demo outputs, produced by the demo itself: the built demo (what
// `npm start` runs) is started with MongoDB and the dashboard's password, sent the README's curl
// requests (as curl sends them, Host localhost:3000), and every answer and console line
// is written down. `npm run readme` rewrites the README's marked blocks with it;
// spec/readme.spec.ts compares them (ids and times normalised).
import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.join(__dirname, '..');
export const BLOCKS = ['requests', 'console'] as const;
export type Block = (typeof BLOCKS)[number];

const SHOWN_HEADERS = ['X-Request-Id', 'Allow', 'Content-Type'];
const CURL_HEADERS = { 'user-agent': 'curl/7.88.1', accept: '*/*' };

interface Call {
  /** The command as the README shows it (after `$ curl -s `), and its comment. */
  shown: string;
  comment?: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** `curl -i`: status line and headers too. */
  withHeaders?: boolean;
  /** Projection of a JSON answer, so long fields read as "…" (applied the same way in the spec). */
  shape?: (json: any) => unknown;
}

const json = { 'Content-Type': 'application/json' };
const REQUESTS: Call[] = [
  { shown: `-X POST localhost:3000/api/notes -H 'Content-Type: application/json' -d '{"title":"First note","body":"hello"}'`, method: 'POST', path: '/api/notes', headers: json, body: '{"title":"First note","body":"hello"}' },
  { shown: 'localhost:3000/api/notes', method: 'GET', path: '/api/notes' },
  { shown: `-X POST localhost:3000/api/notes -H 'Content-Type: application/json' -d '{"title":""}'`, comment: 'validation: 422', method: 'POST', path: '/api/notes', headers: json, body: '{"title":""}' },
  { shown: `-X POST localhost:3000/api/notes -H 'Content-Type: application/json' -d '{"title":'`, comment: 'malformed JSON: 400', method: 'POST', path: '/api/notes', headers: json, body: '{"title":' },
  { shown: 'localhost:3000/api/notes/does-not-exist', comment: 'missing record: 404', method: 'GET', path: '/api/notes/does-not-exist' },
  { shown: '-i localhost:3000/api/crash', comment: 'a crash: 500, nothing leaked', method: 'GET', path: '/api/crash', withHeaders: true },
  { shown: 'localhost:3000/api/notes/export.csv', comment: 'rawResponse(): left alone', method: 'GET', path: '/api/notes/export.csv' },
  { shown: 'localhost:3000/health', comment: 'formatResponse() outside /api', method: 'GET', path: '/health' },
  { shown: '-i -X PUT localhost:3000/api/notes', comment: 'allowedMethods(): 405 with Allow', method: 'PUT', path: '/api/notes', withHeaders: true },
  { shown: `localhost:3000/docs/getting-started -H 'Referer: http://localhost:3000/'`, comment: "the home page's broken link", method: 'GET', path: '/docs/getting-started', headers: { Referer: 'http://localhost:3000/' } },
];

/** Runs the built demo on `mongoUri` and returns each block's text. */
export async function demoTranscript(mongoUri: string): Promise<Record<Block, string>> {
  const port = await freePort();
  // From the checkout, as `npm start` runs (fingerprints hold paths relative to it), with the outbox elsewhere.
  const outboxDir = mkdtempSync(path.join(os.tmpdir(), 'tripwire-readme-'));
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), MONGODB_URI: mongoUri, TRIPWIRE_DASHBOARD_PASSWORD: 'letmein-please', NODE_ENV: 'development', DEMO_OUTBOX_DIR: outboxDir };
  delete env.SLACK_WEBHOOK_URL;
  const demo = spawn(process.execPath, [path.join(ROOT, 'dist', 'demo', 'server.js')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  demo.stdout.on('data', (c) => { output += c; });
  demo.stderr.on('data', (c) => { output += c; });
  const exited = new Promise((resolve) => demo.once('exit', resolve));
  try {
    await until(() => /demo on http/.test(output), 'the demo did not start', () => output);
    const requests = [];
    for (const call of REQUESTS) requests.push(await run(port, call));
    const reportLines = () => output.split('\n').filter((l) => /^\[koa-tripwire\] (Error|Broken link):/.test(l));
    await until(() => reportLines().length >= 2, 'the demo did not print both reports', () => output);

    // The two reporters deliver independently: errors first, whichever printed first.
    const consoleLines = reportLines().sort((a, b) => Number(b.includes('] Error:')) - Number(a.includes('] Error:')));
    return { requests: requests.join('\n\n'), console: consoleLines.join('\n') };
  } finally {
    demo.kill('SIGTERM');
    await exited;
    rmSync(outboxDir, { recursive: true, force: true });
  }
}

async function run(port: number, call: Call): Promise<string> {
  const command = `$ curl -s ${call.shown}`;
  const padded = call.comment ? `${command.padEnd(105)} # ${call.comment}` : command;
  return `${padded}\n${await answer(port, call)}`;
}

function answer(port: number, call: Call): Promise<string> {
  return new Promise((resolve, reject) => {
    const headers = { host: 'localhost:3000', ...CURL_HEADERS, ...call.headers, ...(call.body !== undefined ? { 'Content-Length': String(Buffer.byteLength(call.body)) } : {}) };
    const req = http.request({ host: '127.0.0.1', port, method: call.method, path: call.path, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { body += c; });
      res.on('end', () => {
        const shown = call.shape ? JSON.stringify(call.shape(JSON.parse(body))) : body.replace(/\n$/, '');
        if (!call.withHeaders) return resolve(shown);
        const lines = [`HTTP/1.1 ${res.statusCode} ${res.statusMessage}`];
        for (const name of SHOWN_HEADERS) if (res.headers[name.toLowerCase()] !== undefined) lines.push(`${name}: ${res.headers[name.toLowerCase()]}`);
        resolve(`${lines.join('\n')}\n\n${shown}`);
      });
    });
    req.setTimeout(30_000, () => req.destroy(new Error(`${call.method} ${call.path}: no answer within 30 s`)));
    req.on('error', reject);
    req.end(call.body);
  });
}

async function until(done: () => boolean, failure: string, output: () => string): Promise<void> {
  for (let waited = 0; waited < 60_000; waited += 50) {
    if (done()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${failure} within 60 s:\n${output()}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    }).on('error', reject);
  });
}

/**
 * What may differ between two runs of the same demo: ids, times, uptime, and the
 * checkout's absolute path where a report shows one (the README may have been written
 * in another checkout than the one checking it).
 */
export function normalise(text: string): string {
  return text
    .replace(/\/[^\s"'()]*?\/dist\/demo\//g, '<root>/dist/demo/')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>')
    .replace(/"uptime":\d+/g, '"uptime":<n>')
    .replace(/ +# /g, ' # ');
}

/** The text between `<!-- demo:NAME -->` and `<!-- /demo:NAME -->` (inside its code fence). */
export function readmeBlock(readme: string, name: Block): string {
  const match = blockPattern(name).exec(readme);
  if (!match) throw new Error(`README.md has no <!-- demo:${name} --> block`);
  return match[2];
}

export function withBlock(readme: string, name: Block, text: string): string {
  readmeBlock(readme, name);
  return readme.replace(blockPattern(name), (_all, open: string, _old: string, close: string) => `${open}${text}\n${close}`);
}

function blockPattern(name: Block): RegExp {
  return new RegExp(`(<!-- demo:${name} -->\\n\`\`\`\\w*\\n)([\\s\\S]*?)\\n(\`\`\`\\n<!-- /demo:${name} -->)`);
}
