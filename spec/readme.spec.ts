// The README's examples are part of the public API's documentation: every JavaScript
// block must at least parse, and the quick start must run and answer as the README says.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Server } from 'node:http';
import { EventEmitter } from 'node:events';
import Router from '@koa/router';
import Koa from 'koa';
import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { BLOCKS, demoTranscript, normalise, readmeBlock, ROOT } from '../scripts/readmeDemo';
import { mongoUri } from './support/mongoServer';

/** The README shows the built demo (npm start); CI builds before the specs, a fresh checkout builds here once. */
function ensureBuilt(): void {
  if (existsSync(path.join(ROOT, 'dist', 'demo', 'server.js'))) return;
  const built = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('npm run build failed');
}

const readme = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
const jsBlocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);

/** Runs a CommonJS snippet with `require('koa-tripwire')` pointing at lib/. */
function runSnippet(code: string, scope: Record<string, unknown>): void {
  const requireFromSpec = (id: string) => (id === 'koa-tripwire' ? require('../lib') : require(id));
  const names = Object.keys(scope);
  new Function('require', ...names, code)(requireFromSpec, ...names.map((n) => scope[n]));
}

describe('README', () => {
  it('has JavaScript examples, and every one of them parses', () => {
    expect(jsBlocks.length).to.be.at.least(8);
    for (const code of jsBlocks) {
      expect(() => new Function('require', code), code.slice(0, 80)).not.to.throw();
    }
  });

  it('has no table broken by a paragraph (a row after text renders as text)', () => {
    const lines = readme.split('\n');
    lines.forEach((line, i) => {
      if (!line.startsWith('|') || i === 0) return;
      const before = lines[i - 1];
      expect(before === '' || before.startsWith('|'), `README line ${i + 1}: a table row right after text: ${line.slice(0, 60)}`).to.equal(true);
    });
  });

  it('hand composition: the snippet defines everything it uses, and mounts the parts in stack() order', async () => {
    const snippet = jsBlocks.find((code) => code.includes('app.use(requestContext())'));
    expect(snippet, 'the README shows composing by hand').to.not.equal(undefined);
    const saved = { MONGODB_URI: process.env.MONGODB_URI, SLACK_WEBHOOK_URL: process.env.SLACK_WEBHOOK_URL };
    delete process.env.MONGODB_URI;
    process.env.SLACK_WEBHOOK_URL = 'http://127.0.0.1:9/hook';
    const app = new Koa();
    try {
      runSnippet(snippet!, { app, router: new Router() });
      const names = app.middleware.map((m) => m.name);
      expect(names.slice(0, 5)).to.deep.equal(['requestContext', 'responseFormatter', 'errorReporter', 'brokenLinkReporter', 'bodyParser']);
    } finally {
      for (const m of app.middleware as Array<{ close?: (ms: number) => Promise<void> }>) await m.close?.(1000);
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  it('quick start: runs as written and answers what the README says', async () => {
    const quickStart = jsBlocks[0];
    expect(quickStart).to.include('app.listen(3000)');
    const claimed = /`GET \/api\/notes\/1` answers `([^`]+)`/.exec(readme);
    expect(claimed, 'the README states the quick start answer').to.not.equal(null);

    // Reporting defaults come from the environment; the example must not reach a real MongoDB or Slack here.
    const saved = { MONGODB_URI: process.env.MONGODB_URI, SLACK_WEBHOOK_URL: process.env.SLACK_WEBHOOK_URL };
    delete process.env.MONGODB_URI;
    delete process.env.SLACK_WEBHOOK_URL;
    let server: Server | undefined;
    try {
      // The changes: listen on a free loopback port instead of 3000, and hand the spec the
      // server and the process's signals, so it can stop the app as SIGTERM would.
      const code = quickStart
        .replace('app.listen(3000);', "scope.server = app.listen(0, '127.0.0.1');")
        .replace("process.once('SIGTERM'", "signals.once('SIGTERM'");
      expect(code).not.to.equal(quickStart);
      expect(code, 'the quick start shows graceful shutdown on SIGTERM').to.include("signals.once('SIGTERM'");
      const scope = { server: undefined as Server | undefined };
      const signals = new EventEmitter();
      runSnippet(code, { scope, signals });
      server = scope.server;
      expect(server).to.not.equal(undefined);

      const notes = await request(server!).get('/api/notes/1').expect(200);
      expect(JSON.stringify(notes.body)).to.equal(claimed![1]);
      expect(notes.headers['x-request-id']).to.match(/^[0-9a-f-]{36}$/);
      const csv = await request(server!).get('/api/notes.csv').expect(200);
      expect(csv.headers['content-type']).to.match(/^text\/csv/);
      expect(csv.text).to.equal('id,title\n1,Hello\n');
      const missing = await request(server!).get('/api/nothing').expect(404);
      expect(missing.body).to.deep.equal({ success: false, result: null, message: 'Not Found' });

      // SIGTERM closes the server (and then the reporters).
      const closed = new Promise((resolve) => server!.once('close', resolve));
      signals.emit('SIGTERM');
      await closed;
      expect(server!.listening).to.equal(false);
      server = undefined;
    } finally {
      await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
      for (const [key, value] of Object.entries(saved)) if (value !== undefined) process.env[key] = value;
    }
  });

  it('shows the outputs the demo really gives (npm run readme writes them; ids and times normalised)', async function () {
    this.timeout(180_000);
    ensureBuilt();
    const transcript = await demoTranscript(await mongoUri(`readme_${randomUUID().slice(0, 8)}`));
    for (const name of BLOCKS) {
      expect(normalise(readmeBlock(readme, name)), `README block demo:${name} (run npm run readme)`).to.equal(normalise(transcript[name]));
    }
  });
});

