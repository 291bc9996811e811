// `npm start` stopped by npm's PID (as a process manager or a terminal does) must stop
// the demo too: npm forwards SIGTERM and SIGINT to its script, and the script execs node
// so the signal reaches the demo itself, which closes and exits.
import { expect } from 'chai';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';

const root = path.join(__dirname, '..', '..');

/** The demo runs from the build; CI builds before the specs, a fresh checkout builds here once. */
function ensureBuilt(): void {
  if (existsSync(path.join(root, 'dist', 'demo', 'server.js'))) return;
  const built = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('npm run build failed');
}

function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** `npm start` without its prestart build, on a free port; resolves once the demo listens. */
async function startDemo(): Promise<{ npm: ChildProcess; url: string; pid: number; output: () => string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0' };
  delete env.MONGODB_URI;
  delete env.SLACK_WEBHOOK_URL;
  delete env.TRIPWIRE_ADMIN_TOKEN;
  const npm = spawn('npm', ['start', '--ignore-scripts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  npm.stdout!.on('data', (chunk) => { output += chunk; });
  npm.stderr!.on('data', (chunk) => { output += chunk; });
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const look = () => {
      const m = /demo on http:\/\/localhost:(\d+) .*pid (\d+)/.exec(output);
      if (m) resolve(m);
    };
    npm.stdout!.on('data', look);
    npm.once('exit', (code) => reject(new Error(`npm start exited (${code}) before listening:\n${output}`)));
  });
  return { npm, url: `http://127.0.0.1:${match[1]}`, pid: Number(match[2]), output: () => output };
}

describe('demo (npm start)', function () {
  this.timeout(180_000);
  before(ensureBuilt);

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`exits when npm start is sent ${signal}`, async () => {
      const demo = await startDemo();
      try {
        await request(demo.url).get('/health').expect(200);
        expect(demo.pid).to.not.equal(demo.npm.pid);
        demo.npm.kill(signal);
        await exited(demo.npm);
        // npm is gone; so is the demo, and it closed itself rather than being cut off.
        for (let i = 0; i < 300 && isRunning(demo.pid); i++) await new Promise((r) => setTimeout(r, 100));
        expect(isRunning(demo.pid), `demo pid ${demo.pid} still running`).to.equal(false);
        expect(demo.output()).to.include(`${signal}: closing`);
      } finally {
        if (isRunning(demo.pid)) process.kill(demo.pid, 'SIGKILL');
        if (demo.npm.exitCode === null) demo.npm.kill('SIGKILL');
      }
    });
  }
});
