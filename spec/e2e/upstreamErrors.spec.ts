// Issue 19, item 3: an upstream's failure is ours to report. A route calls a local upstream
// with the real axios; the upstream's 401/403/429/500 answers the client 502 Bad Gateway
// (504 for a timeout), never the upstream's status, and makes one server-error report each,
// naming the upstream. `upstreamErrors: 'propagate'` passes the upstream's status through.
import Router from '@koa/router';
import axios from 'axios';
import { expect } from 'chai';
import Koa from 'koa';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { silentLogger } from '../../lib/core/logger';
import { markUpstreamErrors, statusOf } from '../../lib/envelope/thrown';
import { stack, type StackOptions } from '../../lib/stack';
import { upstream } from '../support/planted';
import { MemoryStore } from '../../lib/stores/memory/MemoryStore';
import type { SavePolicy } from '../../lib/contracts/store';
import type { Report } from '../../lib/report/Report';

/** The spec store, keeping every report it is asked to save. */
class SavingStore extends MemoryStore {
  readonly saved: Report[] = [];
  override async save(reports: Report[], policy?: SavePolicy) {
    this.saved.push(...reports);
    return super.save(reports, policy);
  }
}

const STATUSES = [401, 403, 429, 500];

describe('upstream failures (axios against a local upstream)', () => {
  let weather: Awaited<ReturnType<typeof upstream>>;

  before(async () => {
    weather = await upstream((req, res) => {
      const url = new URL(req.url!, 'http://x');
      if (url.pathname === '/v1/slow') return void setTimeout(() => res.end('{}'), 2000).unref();
      res.writeHead(Number(url.searchParams.get('status')), { 'content-type': 'application/json', 'www-authenticate': 'Bearer realm="weather"' });
      res.end('{"error":"upstream says no"}');
    });
  });
  after(() => weather.close());

  function appWith(formatter: StackOptions['formatter'] = {}) {
    const store = new SavingStore();
    const tripwire = stack({
      formatter,
      errors: { store, notifiers: [], logger: silentLogger, delivery: { outboxDir: mkdtempSync(path.join(os.tmpdir(), 'tripwire-upstream-')) } },
      brokenLinks: false,
    });
    const router = new Router();
    // One route per status, so each is its own issue (its own frames), as separate call sites would be.
    router.get('/api/forecast/401', async () => axios.get(`${weather.url}/v1/forecast?status=401&key=planted-weather-key`));
    router.get('/api/forecast/403', async () => axios.get(`${weather.url}/v1/forecast?status=403&key=planted-weather-key`));
    router.get('/api/forecast/429', async () => axios.get(`${weather.url}/v1/forecast?status=429&key=planted-weather-key`));
    router.get('/api/forecast/500', async () => axios.get(`${weather.url}/v1/forecast?status=500&key=planted-weather-key`));
    router.get('/api/slow', async () => axios.get(`${weather.url}/v1/slow`, { timeout: 50 }));
    const app = new Koa();
    app.silent = true;
    app.use(tripwire);
    app.use(router.routes());
    return { app: app.callback(), tripwire, store };
  }

  it('answers 502 Bad Gateway for an upstream 401, 403, 429 and 500, and reports each once as a server error naming the upstream', async () => {
    const { app, tripwire, store } = appWith();
    try {
      for (const status of STATUSES) {
        const res = await request(app).get(`/api/forecast/${status}`).expect(502);
        expect(res.body, String(status)).to.deep.equal({ success: false, result: null, message: 'Bad Gateway' });
        // The upstream's challenge is not ours: a browser must not prompt for the weather API's login.
        expect(res.headers).not.to.have.property('www-authenticate');
      }
      await tripwire.flush();
      const reports = store.saved;
      expect(reports.map((r) => r.error?.http?.status)).to.have.members(STATUSES);
      for (const report of reports) {
        expect(report.status).to.equal(502);
        const host = new URL(weather.url).host;
        expect(report.title).to.equal(`GET ${host}/v1/forecast → ${report.error!.http!.status}`);
        expect(JSON.stringify(report)).not.to.include('planted-weather-key');
      }
    } finally {
      await tripwire.close(100);
    }
  });

  it('answers 504 Gateway Timeout when the upstream call times out', async () => {
    const { app, tripwire, store } = appWith();
    try {
      const res = await request(app).get('/api/slow').expect(504);
      expect(res.body).to.deep.equal({ success: false, result: null, message: 'Gateway Timeout' });
      await tripwire.flush();
      expect(store.saved.map((r) => [r.status, r.error?.http?.code])).to.deep.equal([[504, 'ECONNABORTED']]);
    } finally {
      await tripwire.close(100);
    }
  });

  it("with upstreamErrors: 'propagate', passes the upstream's status and message through, as before", async () => {
    const { app, tripwire } = appWith({ upstreamErrors: 'propagate' });
    try {
      for (const status of STATUSES) {
        const res = await request(app).get(`/api/forecast/${status}`).expect(status);
        const message = status < 500 ? `Request failed with status code ${status}` : 'Internal Server Error';
        expect(res.body, String(status)).to.deep.equal({ success: false, result: null, message });
      }
    } finally {
      await tripwire.close(100);
    }
  });

  it("statusOf agrees with the formatter for a request marked 'propagate', so the reporters can", async () => {
    const err = await axios.get(`${weather.url}/v1/forecast?status=401`).catch((e: unknown) => e);
    const ctx = { state: {} };
    expect(statusOf(err, ctx)).to.equal(502);
    markUpstreamErrors(ctx, 'propagate');
    expect(statusOf(err, ctx)).to.equal(401);
    expect(statusOf(err)).to.equal(502);
  });
});
