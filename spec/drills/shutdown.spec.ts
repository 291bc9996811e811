import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startFakeSlack } from '../support/fakeSlack';
import { eventually } from '../support/eventually';

// Issue 18: with every timer of ours unref'd, the README's shutdown let the process exit
// as soon as the server closed, close() unresolved, the pending alert dropped unlogged.
describe('drill: the README shutdown against a Slack that refuses', () => {
  it('holds the process open while close() runs: the alert is given up and logged as cancelled, the code after close() runs, and the process exits by the deadline', async function () {
    this.timeout(60_000);
    const slack = await startFakeSlack();
    // Slack answers 500 to every attempt: the alert stays in its retry backoff until close() gives it up.
    slack.respondWith(...Array.from({ length: 50 }, () => ({ status: 500, body: 'internal_error' })));
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'tripwire-shutdown-'));
    const env: NodeJS.ProcessEnv = { ...process.env, SLACK_WEBHOOK_URL: slack.url };
    delete env.MONGODB_URI;
    const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), path.join(__dirname, '..', 'support', 'shutdownProcess.ts')], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (chunk) => { output += chunk; });
    child.stderr!.on('data', (chunk) => { output += chunk; });
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await eventually(() => /ready \d+/.test(output), { what: 'the app to listen', timeoutMs: 30_000 });
      const port = Number(/ready (\d+)/.exec(output)![1]);
      const status = await new Promise<number | undefined>((resolve, reject) => {
        http.get({ host: '127.0.0.1', port, path: '/api/crash', agent: false }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); }).on('error', reject);
      });
      expect(status).to.equal(500);
      await eventually(() => slack.requests.length >= 1, { what: 'the alert to reach Slack and be refused', timeoutMs: 20_000 });

      const signalled = Date.now();
      child.kill('SIGTERM');
      const code = await Promise.race([exit, new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 20_000).unref())]);
      const took = Date.now() - signalled;
      expect(code, `the process did not exit:\n${output}`).to.equal(0);
      expect(output, 'the code after close() ran').to.include('after close');
      expect(output, 'what close() gave up is logged').to.match(/cancelled/);
      // close(3000) holds the process for at most its deadline; the rest is starting and stopping node.
      expect(took, 'close() ended by its deadline').to.be.below(3000 + 5000);
      expect(took, 'the process stayed up while close() ran, until the notifier\'s deadline').to.be.at.least(1000);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await slack.close();
    }
  });
});
