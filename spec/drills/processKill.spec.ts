// Fault drill: the reporter process dies mid-storm while MongoDB is unreachable for it.
// A child process (spec/support/reporterProcess.ts) serves a Koa app with stack() and a
// MongoStore pointed at a closed port, so every report goes to its outbox. Then a
// second child, with the real MongoDB URI and the same outbox directory, must replay
// what the first one parked: everything after a SIGTERM, everything fsync'd after a
// SIGKILL, and nothing twice.
import { expect } from 'chai';
import mongoose, { type Connection } from 'mongoose';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dropDatabase } from '../support/documents';
import { outboxRequestIds, outboxSegments, startReporter, type Reporter } from '../support/drillChild';
import { send, storm } from '../support/drillHttp';
import { closedPortUri } from '../support/drillProxy';
import { eventually } from '../support/eventually';
import { mongoUri } from '../support/mongoServer';
import { deliveryDefaults } from '../../lib/delivery/deliveryOptions';

const GROUPS = 10;
// The reporter process keeps delivery's default queue bound.
const MAX_QUEUE = deliveryDefaults.maxQueue;

interface StoredState {
  /** Request id of every stored event (one per event). */
  requestIds: string[];
  events: number;
  issueCountSum: number;
  issues: number;
}

async function storedState(conn: Connection): Promise<StoredState> {
  const events = await conn.collection('tripwire_events').find({}, { projection: { 'request.requestId': 1 } }).toArray();
  const issues = await conn.collection('tripwire_issues').find({}, { projection: { count: 1 } }).toArray();
  return {
    requestIds: events.map((e) => String(e.request?.requestId)),
    events: events.length,
    issueCountSum: issues.reduce((sum, i) => sum + Number(i.count), 0),
    issues: issues.length,
  };
}

function duplicates(ids: string[]): string[] {
  const seen = new Set<string>();
  return ids.filter((id) => (seen.has(id) ? true : (seen.add(id), false)));
}

describe('drill: the reporter process is killed mid-storm', function () {
  this.timeout(180_000);
  const children: Reporter[] = [];
  const dirs: string[] = [];

  async function reporter(env: Record<string, string>): Promise<Reporter> {
    const child = await startReporter({ DRILL_GROUPS: String(GROUPS), DRILL_LIFETIME_MS: '170000', ...env });
    children.push(child);
    return child;
  }

  afterEach(async () => {
    for (const child of children.splice(0)) await child.stop('SIGKILL', 5_000);
  });

  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('SIGTERM: close() parks every accepted report in the outbox, and the next process stores each exactly once', async () => {
    const db = 'tripwire_drill_kill_term';
    const uri = await mongoUri(db);
    await dropDatabase(uri);
    const outboxDir = mkdtempSync(path.join(os.tmpdir(), 'tripwire-drill-term-'));
    dirs.push(outboxDir);
    const N = 400;

    const first = await reporter({ DRILL_MONGO_URI: await closedPortUri(db), DRILL_OUTBOX_DIR: outboxDir, DRILL_BATCH_SIZE: '50', DRILL_CLOSE_MS: '10000' });
    let terminated = false;
    const { results } = await storm(
      N, 8,
      (i) => send(first.port, `/api/drill/${i}`, { headers: { 'X-Request-Id': `term-${i}` }, timeoutMs: 20_000 }),
      (settled) => {
        if (settled === N / 2 && !terminated) {
          terminated = true;
          first.child.kill('SIGTERM');
        }
      },
    );
    const exit = await first.waitExit(30_000);
    expect(exit, first.output()).to.deep.equal({ code: 0, signal: null });
    expect(first.output()).to.match(/^closed$/m);

    const answered = results.flatMap((r, i) => (r?.status === 500 ? [`term-${i}`] : []));
    expect(answered.length, 'requests answered before the shutdown').to.be.at.least(N / 2);
    expect(results.every((r) => r === undefined || r.status === 500)).to.equal(true);

    // Before any replay: the outbox alone holds every answered request's report.
    const parked = new Set(outboxRequestIds(outboxDir));
    expect(answered.filter((id) => !parked.has(id)), 'answered but not parked').to.deep.equal([]);

    const conn = await mongoose.createConnection(uri).asPromise();
    try {
      expect((await storedState(conn)).events, 'nothing reached MongoDB through a closed port').to.equal(0);
      const second = await reporter({ DRILL_MONGO_URI: uri, DRILL_OUTBOX_DIR: outboxDir });
      await eventually(async () => (await storedState(conn)).events >= parked.size && outboxSegments(outboxDir).length === 0, { timeoutMs: 60_000, everyMs: 200 });
      expect(await second.stop('SIGTERM')).to.deep.equal({ code: 0, signal: null });

      const state = await storedState(conn);
      expect(duplicates(state.requestIds), 'reports stored twice').to.deep.equal([]);
      expect([...state.requestIds].sort()).to.deep.equal([...parked].sort());
      expect(new Set(state.requestIds)).to.include.all.keys(...answered);
      expect(state.events).to.equal(parked.size);
      expect(state.issueCountSum, 'issue counts sum to the events (a replay counts nothing twice)').to.equal(state.events);
      expect(state.issues).to.equal(GROUPS);
    } finally {
      await conn.close();
    }
  });

  it('SIGKILL: the next process stores everything that was fsync\'d, each exactly once, losing at most one batch', async () => {
    const db = 'tripwire_drill_kill_nine';
    const uri = await mongoUri(db);
    await dropDatabase(uri);
    const outboxDir = mkdtempSync(path.join(os.tmpdir(), 'tripwire-drill-kill-'));
    dirs.push(outboxDir);
    const BATCH = 100;
    const MAX_REQUESTS = 4000;

    const first = await reporter({ DRILL_MONGO_URI: await closedPortUri(db), DRILL_OUTBOX_DIR: outboxDir, DRILL_BATCH_SIZE: String(BATCH) });
    let killed = false;
    let paused = false;
    let answeredAtKill = 0;
    const answered: string[] = [];
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    // The storm runs until the kill (bounded by MAX_REQUESTS). Once the outage is
    // established (the first failed save, a server selection timeout during which
    // requests pile up in memory, is over), the watcher pauses the storm until the
    // outbox holds every answered request, resumes it, and kills the child with
    // SIGKILL a few answers later, requests still in flight.
    const watcher = (async () => {
      const deadline = Date.now() + 90_000;
      while (answered.length < 300 && Date.now() < deadline) await sleep(10);
      paused = true;
      while (outboxRequestIds(outboxDir).length < answered.length && Date.now() < deadline) await sleep(20);
      const caughtUp = answered.length;
      paused = false;
      while (answered.length < caughtUp + 20 && Date.now() < deadline) await sleep(1);
      killed = true;
      answeredAtKill = answered.length;
      first.child.kill('SIGKILL');
    })();
    await storm(MAX_REQUESTS, 4, async (i) => {
      for (let waited = 0; paused && !killed && waited < 60_000; waited += 5) await sleep(5);
      if (killed) return null;
      const res = await send(first.port, `/api/drill/${i}`, { headers: { 'X-Request-Id': `kill-${i}` }, timeoutMs: 20_000 });
      if (res.status === 500 && !killed) answered.push(`kill-${i}`);
      return res;
    });
    await watcher;
    expect(killed, `the kill happened mid-storm (answered ${answered.length})`).to.equal(true);
    const exit = await first.stop('SIGKILL', 10_000);
    expect(exit.signal).to.equal('SIGKILL');

    // What survived the kill is what was fsync'd; a line cut short by the kill is skipped.
    const parked = new Set(outboxRequestIds(outboxDir));
    const conn = await mongoose.createConnection(uri).asPromise();
    try {
      const second = await reporter({ DRILL_MONGO_URI: uri, DRILL_OUTBOX_DIR: outboxDir });
      await eventually(async () => (await storedState(conn)).events >= parked.size && outboxSegments(outboxDir).length === 0, { timeoutMs: 60_000, everyMs: 200 });
      expect(await second.stop('SIGTERM')).to.deep.equal({ code: 0, signal: null });

      const state = await storedState(conn);
      expect(duplicates(state.requestIds), 'reports stored twice').to.deep.equal([]);
      expect([...state.requestIds].sort(), 'exactly what the outbox held').to.deep.equal([...parked].sort());
      expect(state.issueCountSum, 'issue counts sum to the events').to.equal(state.events);
      expect(state.requestIds.filter((id) => !/^kill-\d+$/.test(id)), 'only requests the drill sent').to.deep.equal([]);
      const stored = new Set(state.requestIds);
      const lost = answered.slice(0, answeredAtKill).filter((id) => !stored.has(id));
      // The bound: a SIGKILL loses only what delivery held in memory and had not fsync'd:
      // the queue (maxQueue), the reports spilled past it and not yet written (maxQueue
      // more) and the batch being parked (batchSize). How much of that is full at the
      // moment of the kill depends on the machine's speed, so this asserts the structural
      // bound, and above, that everything fsync'd is stored exactly once.
      const inMemoryAtMost = 2 * MAX_QUEUE + BATCH;
      expect(lost.length, `answered ${answeredAtKill}, stored ${stored.size}`).to.be.at.most(inMemoryAtMost);
      expect(stored.size).to.be.at.least(answeredAtKill - inMemoryAtMost);
    } finally {
      await conn.close();
    }
  });
});
