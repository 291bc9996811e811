// The README is the first screen of the docs: short, with the commands a newcomer needs,
// a quick start that runs and answers as the README says, the hand composition in stack()'s
// order, and the demo's real outputs. Every block also runs and type-checks in spec/docs.spec.ts.
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
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { BLOCKS, demoTranscript, normalise, readmeBlock, ROOT } from '../scripts/readmeDemo';
import { mongoUri } from './support/mongoServer';
import type { Client } from '../lib/client/client';

/** The README shows the built demo (npm start); CI builds before the specs, a fresh checkout builds here once. */
function ensureBuilt(): void {
  if (existsSync(path.join(ROOT, 'dist', 'demo', 'server.js'))) return;
  const built = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('npm run build failed');
}

const readme = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
const jsBlocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);

/** Runs a CommonJS snippet with `require('koa-tripwire')` pointing at lib/. */
function runSnippet(code: string, scope: Record<string, unknown>): unknown {
  const requireFromSpec = (id: string) => (id === 'koa-tripwire' ? require('../lib') : require(id));
  const names = Object.keys(scope);
  return new Function('require', ...names, code)(requireFromSpec, ...names.map((n) => scope[n]));
}

function restore(saved: Record<string, string | undefined>): void {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
}

describe('README', () => {
  it('fits on a few screens (at most 300 lines) and gives the commands a newcomer needs', () => {
    expect(readme.split('\n').length).to.be.at.most(300);
    expect(readme).to.include('npm install koa-tripwire');
    const ci = readme.indexOf('npm ci');
    expect(ci, 'the README says npm ci').to.be.greaterThan(-1);
    expect(readme.indexOf('npm start'), 'npm ci comes before npm start').to.be.greaterThan(ci);
    expect(readme).to.include('npm test');
    expect(readme, 'graceful shutdown as the quick start shows it').to.include('server.close(async () => { await tripwire.close(3000); })');
  });

  it('hand composition: the snippet defines everything it uses, mounts the parts in stack() order, and both reporters share one client', async () => {
    const snippet = jsBlocks.find((code) => code.includes('app.use(requestContext())'));
    expect(snippet, 'the README shows composing by hand').to.not.equal(undefined);
    expect(snippet).to.include('const client = createClient(');
    expect(snippet).to.include('app.use(errorReporter({ client }));');
    expect(snippet).to.include('app.use(brokenLinkReporter({ client }));');
    const saved = { MONGODB_URI: process.env.MONGODB_URI, SLACK_WEBHOOK_URL: process.env.SLACK_WEBHOOK_URL };
    delete process.env.MONGODB_URI;
    process.env.SLACK_WEBHOOK_URL = 'http://127.0.0.1:9/hook';
    let composed: { app: Koa; client: Client } | undefined;
    try {
      composed = runSnippet(`${snippet!}\nreturn { app, client };`, {}) as { app: Koa; client: Client };
      const { app, client } = composed;
      const names = app.middleware.map((m) => m.name);
      expect(names).to.have.length(7); // the five parts, the routes, allowedMethods()
      expect(names.slice(0, 5)).to.deep.equal(['requestContext', 'responseFormatter', 'errorReporter', 'brokenLinkReporter', 'bodyParser']);
      const [, , errors, links] = app.middleware as unknown as Array<{ client?: Client }>;
      expect(errors.client).to.equal(client);
      expect(links.client).to.equal(client);
      // Without MONGODB_URI the environment's store is the in-memory one.
      expect(client.store?.constructor.name).to.equal('MemoryStore');
      const ping = await request(app.callback()).get('/api/ping').expect(200);
      expect(ping.body).to.deep.equal({ success: true, result: 'pong', message: null });
      await request(app.callback()).get('/api/missing').set('Referer', 'http://127.0.0.1/').expect(404);
      expect(client.stats.accepted, 'the broken link was offered to the shared client').to.equal(1);
    } finally {
      await composed?.client.close(1000);
      restore(saved);
    }
  });

  it('quick start: without a dashboard password it refuses to start, naming the variable', () => {
    const saved = { TRIPWIRE_DASHBOARD_PASSWORD: process.env.TRIPWIRE_DASHBOARD_PASSWORD };
    delete process.env.TRIPWIRE_DASHBOARD_PASSWORD;
    try {
      expect(() => runSnippet(jsBlocks[0].replace('const server = app.listen(3000);', 'return;'), {})).to.throw(/TRIPWIRE_DASHBOARD_PASSWORD/);
    } finally {
      restore(saved);
    }
  });

  for (const where of ['MongoDB', 'memory'] as const) it(`quick start (${where === 'memory' ? 'no MONGODB_URI: reports in memory' : 'MONGODB_URI set'}): runs as written and answers what the README says, dashboard and shutdown included`, async function () {
    this.timeout(60_000);
    const quickStart = jsBlocks[0];
    expect(quickStart).to.include('app.listen(3000)');
    const claim = (pattern: RegExp) => {
      const found = pattern.exec(readme);
      expect(found, `the README states ${pattern}`).to.not.equal(null);
      return found!;
    };
    const notesAnswer = claim(/`GET \/api\/notes\/1` answers `([^`]+)`/)[1];
    const [, missingStatus, missingAnswer] = claim(/`GET \/api\/nothing` answers (\d+) `([^`]+)`/);
    const [, crashStatus, crashAnswer] = claim(/A crash answers (\d+) `([^`]+)`/);
    const [, dashboardPath, dashboardUser] = claim(/on the dashboard at `http:\/\/localhost:3000(\/[^`]*)` \(user `(\w+)`\)/);

    // The store is the specs' MongoDB-speaking server, or none (MemoryStore); Slack is not configured (alerts go to the console).
    const saved = { MONGODB_URI: process.env.MONGODB_URI, SLACK_WEBHOOK_URL: process.env.SLACK_WEBHOOK_URL, TRIPWIRE_DASHBOARD_PASSWORD: process.env.TRIPWIRE_DASHBOARD_PASSWORD };
    if (where === 'MongoDB') process.env.MONGODB_URI = await mongoUri(`readme_quick_${randomUUID().slice(0, 8)}`);
    else delete process.env.MONGODB_URI;
    delete process.env.SLACK_WEBHOOK_URL;
    process.env.TRIPWIRE_DASHBOARD_PASSWORD = 'letmein-please';
    let server: Server | undefined;
    const workDir = mkdtempSync(path.join(os.tmpdir(), 'tripwire-quickstart-'));
    try {
      // The changes: listen on a free loopback port instead of 3000, and hand the spec the
      // server, the router (to add a crashing route) and the process's signals, so it can
      // stop the app as SIGTERM would.
      const code = quickStart
        .replace('app.listen(3000);', "app.listen(0, '127.0.0.1'); Object.assign(scope, { server, router, tripwire });")
        .replace("process.once('SIGTERM'", "signals.once('SIGTERM'");
      expect(code).not.to.equal(quickStart);
      expect(code, 'the quick start shows graceful shutdown on SIGTERM').to.include("signals.once('SIGTERM'");
      const scope = {} as { server: Server; router: Router; tripwire: { flush(): Promise<void>; close(ms?: number): Promise<void> } };
      const signals = new EventEmitter();
      // The outbox folders the stack makes in the working directory go to a temporary one, not the checkout.
      const checkout = process.cwd();
      process.chdir(workDir);
      try {
        runSnippet(code, { scope, signals });
      } finally {
        process.chdir(checkout);
      }
      server = scope.server;
      expect(server).to.not.equal(undefined);
      expect((scope.tripwire as unknown as { store: object }).store.constructor.name).to.equal(where === 'MongoDB' ? 'MongoStore' : 'MemoryStore');
      scope.router.get('/api/crash', () => { throw new Error('quick start crash'); });

      const notes = await request(server).get('/api/notes/1').expect(200);
      expect(JSON.stringify(notes.body)).to.equal(notesAnswer);
      expect(notes.headers['x-request-id']).to.match(/^[0-9a-f-]{36}$/);
      const csv = await request(server).get('/api/notes.csv').expect(200);
      expect(csv.headers['content-type']).to.match(/^text\/csv/);
      expect(csv.text).to.equal('id,title\n1,Hello\n');
      const missing = await request(server).get('/api/nothing');
      expect([missing.status, JSON.stringify(missing.body)]).to.deep.equal([Number(missingStatus), missingAnswer]);
      const crash = await request(server).get('/api/crash');
      expect([crash.status, JSON.stringify(crash.body)]).to.deep.equal([Number(crashStatus), crashAnswer]);

      // The crash is on the dashboard, behind its password.
      await scope.tripwire.flush();
      await request(server).get(dashboardPath).expect(401);
      const page = await request(server).get(dashboardPath).auth(dashboardUser, 'letmein-please').expect(200);
      expect(page.text).to.include('quick start crash');

      // SIGTERM closes the server, then the reporters.
      const closed = new Promise((resolve) => server!.once('close', resolve));
      signals.emit('SIGTERM');
      await closed;
      expect(server.listening).to.equal(false);
      server = undefined;
    } finally {
      await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
      restore(saved);
      rmSync(workDir, { recursive: true, force: true });
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

