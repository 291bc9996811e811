// `npm start` stopped by npm's PID (as a process manager or a terminal does) must stop
// the demo too: npm forwards SIGTERM and SIGINT to its script, and the script execs node
// so the signal reaches the demo itself, which closes and exits.
import { expect } from 'chai';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser } from '../support/browser';
import { eventually } from '../support/eventually';
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
async function startDemo(extra: NodeJS.ProcessEnv = {}): Promise<{ npm: ChildProcess; url: string; pid: number; output: () => string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', DEMO_OUTBOX_DIR: mkdtempSync(path.join(os.tmpdir(), 'tripwire-demo-')) };
  delete env.MONGODB_URI;
  delete env.SLACK_WEBHOOK_URL;
  delete env.TRIPWIRE_ADMIN_TOKEN;
  delete env.TRIPWIRE_DASHBOARD_PASSWORD;
  Object.assign(env, extra);
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

  it('with no MONGODB_URI, says where its dashboard is and serves it, reports kept in memory', async () => {
    const demo = await startDemo();
    const browser = await launchBrowser();
    try {
      const line = await waitFor(() => /Dashboard: (http:\/\/localhost:\d+\/_tripwire\/) \(user admin, password ([\w-]+)\); (.*)/.exec(demo.output()), demo.output);
      expect(line[3]).to.equal('reports live in memory until MONGODB_URI is set (MongoDB is the store for production)');
      await request(demo.url).get('/api/crash').expect(500);
      const context = await browser.newContext({ httpCredentials: { username: 'admin', password: line[2] } });
      const page = await context.newPage();
      // The report is delivered in the background: reload until it is listed.
      const dashboard = line[1].replace('localhost', '127.0.0.1');
      const title = await waitFor(async () => {
        await page.goto(dashboard);
        return (await page.locator('table.issues a.title').allTextContents()).find((t) => t.includes('Could not reach mongodb://'));
      }, demo.output);
      expect(title).to.not.include('s3cr3t-passw0rd');
      expect(await page.title()).to.equal('Issues · koa-tripwire demo');
    } finally {
      await browser.close();
      process.kill(demo.pid, 'SIGTERM');
      await exited(demo.npm);
    }
  });

  it('with a MONGODB_URI it cannot reach, exits with one line naming the fix, and never prints the password', async () => {
    const npm = spawn('npm', ['start', '--ignore-scripts'], {
      cwd: root, stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PORT: '0', MONGODB_URI: 'mongodb://demo:hunter2-pw@127.0.0.1:9/demo?serverSelectionTimeoutMS=300' },
    });
    let stderr = '';
    npm.stderr!.on('data', (chunk) => { stderr += chunk; });
    expect(await exited(npm)).to.not.equal(0);
    const lines = stderr.split('\n').filter((l) => l.startsWith('koa-tripwire demo:'));
    expect(lines, stderr).to.have.length(1);
    expect(lines[0]).to.include('cannot reach MongoDB at mongodb://demo:***@127.0.0.1:9/demo').and.include('unset MONGODB_URI');
    expect(stderr).to.not.include('hunter2-pw').and.not.match(/\n\s+at /);
  });
});

/** `eventually`, with the demo's output in the message when it times out. */
async function waitFor<T>(probe: () => T | null | undefined | Promise<T | null | undefined>, output: () => string): Promise<T> {
  try {
    return (await eventually(probe, { everyMs: 100 })) as T;
  } catch (err) {
    throw new Error(`${(err as Error).message}; demo output:\n${output()}`);
  }
}
