import Router from '@koa/router';
import { expect } from 'chai';
import Koa from 'koa';
import mongoose from 'mongoose';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  brokenLinkReporter, errorReporter, silentLogger, stack,
  type BrokenLinkReporterOptions, type ErrorReporterOptions, type Report, type Stack, type StackOptions, type Store,
} from '../lib';
import { createClient } from '../lib/client/client';
import type { SavePolicy } from '../lib/contracts/store';
import { Delivery } from '../lib/delivery/Delivery';
import { Worker } from '../lib/delivery/Worker';
import { mongoUri } from './support/mongoServer';
import { RecordingNotifier } from './support/recordingNotifier';

class CountingStore implements Store {
  saved: Report[] = [];
  closes = 0;
  async save(reports: Report[]) {
    this.saved.push(...reports);
    return reports.map((r) => ({ kind: r.kind, fingerprint: r.fingerprint, added: 1, count: null, isNew: true, regressed: false }));
  }
  async close() { this.closes += 1; }
}

const outbox = () => ({ outboxDir: mkdtempSync(path.join(os.tmpdir(), 'tripwire-stack-')) });

function serve(tripwire: Stack): Koa {
  const app = new Koa();
  app.silent = true;
  app.use(tripwire);
  const router = new Router();
  router.post('/api/echo', (ctx) => { ctx.body = { got: ctx.request.body ?? null }; });
  router.get('/api/crash', () => { throw new Error('crash'); });
  app.use(router.routes()).use(router.allowedMethods());
  return app;
}

describe('stack', () => {
  const quiet = (store: Store | null, notifiers: RecordingNotifier[] = []): StackOptions => ({
    errors: { store, notifiers, logger: silentLogger, delivery: outbox() },
    brokenLinks: { store, notifiers, logger: silentLogger, delivery: outbox() },
  });

  it('composes request id → formatter → error reporter → broken links → body parser, outermost first', async () => {
    const store = new CountingStore();
    const notifier = new RecordingNotifier();
    const tripwire = stack(quiet(store, [notifier]));
    const app = serve(tripwire);

    // The body parser's 400 is shaped by the formatter (it sits inside it) and is not reported (a client error).
    const bad = await request(app.callback()).post('/api/echo').set('Content-Type', 'application/json').send('{').expect(400);
    expect(bad.body.success).to.equal(false);
    expect(bad.headers['x-request-id']).to.be.a('string');

    // The reporter sees the parsed body (the parser is inside it) and the id set outside it.
    const crash = await request(app.callback()).get('/api/crash').expect(500);
    const echoed = await request(app.callback()).post('/api/echo').send({ a: 1 }).expect(200);
    expect(echoed.body).to.deep.equal({ success: true, result: { got: { a: 1 } }, message: null });

    // A broken link is seen after the routes, as the final 404.
    await request(app.callback()).get('/api/gone').set('Referer', 'https://elsewhere.example/page').expect(404);
    await tripwire.flush();

    const kinds = store.saved.map((r) => r.kind).sort();
    expect(kinds).to.deep.equal(['broken-link', 'error']);
    const error = store.saved.find((r) => r.kind === 'error')!;
    expect(error.request!.requestId).to.equal(crash.headers['x-request-id']);
    await tripwire.close(1000);
  });

  it('leaves out each part given false', async () => {
    const tripwire = stack({ requestId: false, formatter: false, errors: false, brokenLinks: false, bodyParser: false });
    expect(tripwire.errors).to.equal(null);
    expect(tripwire.brokenLinks).to.equal(null);
    const app = serve(tripwire);
    const res = await request(app.callback()).post('/api/echo').send({ a: 1 }).expect(200);
    expect(res.body).to.deep.equal({ got: null });
    expect(res.headers['x-request-id']).to.equal(undefined);
    await tripwire.flush();
    await tripwire.close();
  });

  it('passes each part its options', async () => {
    const tripwire = stack({ ...quiet(null), formatter: { match: ['/v2'] }, requestId: { header: 'X-Trace-Id' }, bodyParser: { jsonLimit: '10b' } });
    const app = serve(tripwire);
    const res = await request(app.callback()).post('/api/echo').send({ long: 'enough to pass ten bytes' }).expect(413);
    expect(res.headers['x-trace-id']).to.be.a('string');
    expect(res.text).to.equal('request entity too large');
    await tripwire.close(1000);
  });

  it('closes a store and a notifier shared by both reporters once, after both have delivered', async () => {
    const store = new CountingStore();
    const notifier = new RecordingNotifier();
    const tripwire = stack(quiet(store, [notifier]));
    const app = serve(tripwire);
    await request(app.callback()).get('/api/crash').expect(500);
    await request(app.callback()).get('/api/missing').set('Referer', '/home').expect(404);
    await tripwire.close(1000);
    expect(store.closes).to.equal(1);
    expect(notifier.closed).to.equal(true);
    expect(store.saved).to.have.length(2);
    expect(notifier.received.map((r) => r.kind).sort()).to.deep.equal(['broken-link', 'error']);
  });

  it('runs one delivery for both kinds: one worker, one outbox folder (counted while the store is down)', async () => {
    const store = new CountingStore();
    store.save = async () => { throw new Error('store down'); };
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'tripwire-one-'));
    const workers = new Set<Worker>();
    const deliveries = new Set<Delivery>();
    const enqueue = Worker.prototype.enqueue;
    const offer = Delivery.prototype.offer;
    Worker.prototype.enqueue = function (this: Worker, ...args) { workers.add(this); return enqueue.apply(this, args); };
    Delivery.prototype.offer = function (this: Delivery, ...args) { deliveries.add(this); return offer.apply(this, args); };
    const before = process.cwd();
    process.chdir(cwd);
    try {
      // The default outbox folder: <cwd>/.tripwire-outbox, one for both kinds.
      const tripwire = stack({ errors: { store, notifiers: [], logger: silentLogger }, brokenLinks: { notifiers: [] } });
      const app = serve(tripwire);
      await request(app.callback()).get('/api/crash').expect(500);
      await request(app.callback()).get('/api/missing').set('Referer', '/home').expect(404);
      await tripwire.close(2000);
      expect(deliveries.size, 'deliveries').to.equal(1);
      expect(workers.size, 'workers').to.equal(1);
      const outboxes = readdirSync(cwd);
      expect(outboxes).to.deep.equal(['.tripwire-outbox']);
      const folder = path.join(cwd, '.tripwire-outbox');
      const segments = readdirSync(folder).filter((name) => name.endsWith('.ndjson'));
      expect(readdirSync(folder).filter((name) => statSync(path.join(folder, name)).isDirectory()), 'no folder per kind').to.deep.equal([]);
      const parked = segments.flatMap((name) => readFileSync(path.join(folder, name), 'utf8').trim().split('\n')).map((line) => (JSON.parse(line) as { report: Report }).report.kind);
      expect(parked.sort()).to.deep.equal(['broken-link', 'error']);
    } finally {
      process.chdir(before);
      Worker.prototype.enqueue = enqueue;
      Delivery.prototype.offer = offer;
    }
  });

  it('takes a client made by hand, shares it with the reporters and the dashboard, and leaves closing it to its owner', async () => {
    const store = new CountingStore();
    const notifier = new RecordingNotifier();
    const client = createClient({ store, notifiers: [notifier], logger: silentLogger, delivery: outbox() });
    const tripwire = stack({ client });
    expect(tripwire.client).to.equal(client);
    expect(tripwire.errors!.client).to.equal(client);
    expect(tripwire.brokenLinks!.client).to.equal(client);
    expect(tripwire.store).to.equal(store);
    const app = serve(tripwire);
    await request(app.callback()).get('/api/crash').expect(500);
    await tripwire.close(1000);
    expect(store.closes, 'the stack did not make the client: not its to close').to.equal(0);
    await client.close(1000);
    expect(store.saved.map((r) => r.kind)).to.deep.equal(['error']);
    expect(store.closes).to.equal(1);
    expect(() => stack({ client, errors: { store } })).to.throw(TypeError, /`store` belongs to the client/);
  });

  it('routes each slot\'s notifiers to its kind only, through the one delivery', async () => {
    const forErrors = new RecordingNotifier();
    const forLinks = new RecordingNotifier();
    const tripwire = stack({ errors: { store: null, notifiers: [forErrors], logger: silentLogger }, brokenLinks: { notifiers: [forLinks] } });
    const app = serve(tripwire);
    await request(app.callback()).get('/api/crash').expect(500);
    await request(app.callback()).get('/api/missing').set('Referer', '/home').expect(404);
    await tripwire.close(1000);
    expect(forErrors.received.map((r) => r.kind)).to.deep.equal(['error']);
    expect(forLinks.received.map((r) => r.kind)).to.deep.equal(['broken-link']);
    expect([forErrors.closed, forLinks.closed]).to.deep.equal([true, true]);
  });

  it('refuses two different stores for one stack, and a slot that is not an object, naming the fix', () => {
    expect(() => stack({ errors: { store: new CountingStore() }, brokenLinks: { store: new CountingStore() } })).to.throw(TypeError, /a stack has one store/);
    expect(() => stack({ errors: 'yes' as never })).to.throw(TypeError, /`errors` must be the reporter's options object, or false/);
  });

  it('hands each kind\'s maxNewGroupsPerHour to the store with every save, and refuses a bad one at startup naming the fix', async () => {
    const policies: Array<SavePolicy | undefined> = [];
    const store = new CountingStore();
    const save = store.save.bind(store);
    store.save = (reports: Report[], policy?: SavePolicy) => { policies.push(policy); return save(reports); };
    const tripwire = stack({ errors: { store, notifiers: [], logger: silentLogger, maxNewGroupsPerHour: 50, delivery: outbox() }, brokenLinks: { notifiers: [] } });
    const app = serve(tripwire);
    await request(app.callback()).get('/api/crash').expect(500);
    await tripwire.close(1000);
    expect(policies).to.have.length(1);
    expect(policies[0]!.maxNewGroupsPerHour).to.deep.equal({ error: 50, 'broken-link': 500 });
    expect(policies[0]!.maxClockSkewMs).to.be.a('number');
    expect(() => stack({ brokenLinks: { maxNewGroupsPerHour: -1 } })).to.throw(RangeError, /maxNewGroupsPerHour` must be a positive integer \(new groups a kind may open per hour before the rest is counted in its overflow group; default 500 for errors, 500 for broken links\)/);
  });

  it('refuses a misconfigured part with a clear error', () => {
    expect(() => stack({ errors: { reportStatuses: ['500' as unknown as number] } })).to.throw(TypeError, /reportStatuses/);
    expect(() => stack({ brokenLinks: { ignorableUrls: ['/favicon.ico' as unknown as RegExp] } })).to.throw(TypeError, /ignorableUrls/);
    expect(() => stack({ requestId: { header: 'bad header' } })).to.throw(TypeError, /header/);
  });

  describe('misuse fails loudly', () => {
    class RecordingLogger {
      warnings: string[] = [];
      info() {}
      warn(message: string) { this.warnings.push(message); }
      error() {}
    }

    it('app.use(stack) without the call: the first request fails with a TypeError naming app.use(stack())', async () => {
      const app = new Koa();
      app.silent = true;
      const thrown: unknown[] = [];
      app.on('error', (err) => thrown.push(err));
      app.use(stack as unknown as Koa.Middleware);
      await request(app.callback()).get('/api/notes').expect(500);
      expect(thrown).to.have.length(1);
      expect(thrown[0]).to.be.instanceOf(TypeError);
      expect((thrown[0] as Error).message).to.include('app.use(stack())');
    });

    it('the reporters used without the call fail the same way', () => {
      const ctx = { app: {}, req: {}, res: {}, request: {} };
      expect(() => (errorReporter as unknown as (c: unknown, n: unknown) => void)(ctx, () => {})).to.throw(TypeError, /app\.use\(errorReporter\(\)\)/);
      expect(() => (brokenLinkReporter as unknown as (c: unknown, n: unknown) => void)(ctx, () => {})).to.throw(TypeError, /app\.use\(brokenLinkReporter\(\)\)/);
    });

    it('warns once when mounted after a router', async () => {
      const logger = new RecordingLogger();
      const tripwire = stack({ ...quiet(null), errors: { store: null, notifiers: [], logger } });
      const app = new Koa();
      app.silent = true;
      const router = new Router();
      router.get('/api/crash', () => { throw new Error('crash'); });
      app.use(router.routes()).use(router.allowedMethods());
      app.use(tripwire);
      await request(app.callback()).get('/api/missing').expect(404);
      await request(app.callback()).get('/api/missing').expect(404);
      expect(logger.warnings.filter((w) => w.includes('mounted after a router'))).to.have.length(1);
      expect(logger.warnings[0]).to.include('app.use(stack()) before app.use(router.routes())');
      await tripwire.close(1000);
    });

    it('warns when mounted after middleware that already answered', async () => {
      const logger = new RecordingLogger();
      const tripwire = stack({ ...quiet(null), errors: { store: null, notifiers: [], logger } });
      const app = new Koa();
      app.silent = true;
      app.use((ctx, next) => { ctx.body = 'answered early'; return next(); });
      app.use(tripwire);
      await request(app.callback()).get('/api/x').expect(200);
      expect(logger.warnings).to.have.length(1);
      expect(logger.warnings[0]).to.include('already answered');
      await tripwire.close(1000);
    });

    it('stays quiet when mounted first', async () => {
      const logger = new RecordingLogger();
      const tripwire = stack({ ...quiet(null), errors: { store: null, notifiers: [], logger } });
      const app = serve(tripwire);
      await request(app.callback()).get('/api/crash').expect(500);
      await request(app.callback()).get('/api/nothing').expect(404);
      expect(logger.warnings).to.deep.equal([]);
      await tripwire.close(1000);
    });

    const misspelt: Array<[string, () => unknown, RegExp]> = [
      ['stack', () => stack({ formater: {} } as StackOptions), /stack: unknown option `formater`; did you mean `formatter`\?/],
      ['errors', () => stack({ errors: { windowMS: 1000 } } as StackOptions), /errorReporter: unknown option `windowMS`; did you mean `windowMs`\?/],
      ['brokenLinks', () => stack({ brokenLinks: { ignorableUrl: [] } } as StackOptions), /brokenLinkReporter: unknown option `ignorableUrl`; did you mean `ignorableUrls`\?/],
      ['requestId', () => stack({ requestId: { headr: 'X-Id' } } as StackOptions), /requestContext: unknown option `headr`; did you mean `header`\?/],
      ['formatter', () => stack({ formatter: { methds: [] } } as StackOptions), /responseFormatter: unknown option `methds`; did you mean `methods`\?/],
      ['bodyParser', () => stack({ bodyParser: { jsonlimit: '1kb' } } as StackOptions), /bodyParser: unknown option `jsonlimit`; did you mean `jsonLimit`\?/],
      ['bodyParser.parser', () => stack({ bodyParser: { parser: { strikt: true } } } as StackOptions), /bodyParser: parser: unknown option `strikt`; did you mean `strict`\?/],
      ['errorReporter', () => errorReporter({ reportStatus: [404] } as ErrorReporterOptions), /did you mean `reportStatuses`\?/],
      ['brokenLinkReporter', () => brokenLinkReporter({ appendslash: false } as BrokenLinkReporterOptions), /did you mean `appendSlash`\?/],
    ];
    for (const [where, build, message] of misspelt) {
      it(`a misspelt option in ${where} is a TypeError naming the key and the closest known one`, () => {
        expect(build).to.throw(TypeError, message);
      });
    }
  });

  it('a process whose app closed its server, without tripwire.close(), exits by itself with the report stored', async function () {
    // Nothing tripwire holds (its timers, the MongoDB connection it opened from MONGODB_URI)
    // may keep the process alive once the app has stopped. The deadline is generous: it is
    // about exiting at all, not about speed.
    this.timeout(150_000);
    const uri = await mongoUri('tripwire_closed_server');
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'tripwire-closed-'));
    const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), path.join(__dirname, 'support', 'closedServerProcess.ts')], {
      cwd, env: { ...process.env, MONGODB_URI: uri, SLACK_WEBHOOK_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk) => { output += chunk; });
    child.stderr!.on('data', (chunk) => { output += chunk; });
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const deadline = new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 120_000).unref());
    const outcome = await Promise.race([exit, deadline]);
    if (outcome === 'still running') child.kill('SIGKILL');
    expect(output).to.include('served 500');
    expect(output).to.include('closed');
    expect(outcome, `the process did not exit by itself within 120 s after closing its server:\n${output}`).to.equal(0);

    const connection = await mongoose.createConnection(uri).asPromise();
    try {
      expect(await connection.collection('tripwire_events').countDocuments({ 'error.message': 'closed-server drill' })).to.equal(1);
    } finally {
      await connection.close();
    }
  });
});

