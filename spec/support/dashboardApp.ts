// A Koa app serving the dashboard over an in-memory IssueStore, a logged-in agent for it,
// and a real app reporting into that store through stack().
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Router from '@koa/router';
import axios from 'axios';
import Koa from 'koa';
import request from 'supertest';
import { silentLogger } from '../../lib/core/logger';
import { stack } from '../../lib/stack';
import { dashboard, type DashboardOptions } from '../../lib/dashboard/dashboard';
import { DashboardMemoryStore } from './dashboardStore';

export const CREDENTIALS = { username: 'ops', password: 'correct horse battery' };

export function dashboardApp(store = new DashboardMemoryStore(), options: Partial<DashboardOptions> = {}): Koa {
  const app = new Koa();
  app.use(dashboard({ store, auth: CREDENTIALS, ...options }));
  app.use((ctx) => { ctx.body = 'app'; });
  return app;
}

/** GET with the Basic credentials; `text` is the page. */
export function getPage(app: Koa, path: string) {
  return request(app.callback()).get(path).auth(CREDENTIALS.username, CREDENTIALS.password);
}

/** The CSRF cookie and token a page hands out, for posting forms as the browser would. */
export async function session(app: Koa, path = '/_tripwire/'): Promise<{ cookie: string; token: string }> {
  const page = await getPage(app, path);
  const cookie = (page.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
  if (!token) throw new Error('no CSRF token on the page');
  return { cookie, token };
}

export function postForm(app: Koa, fields: Record<string, string | string[]>, headers: Record<string, string> = {}, path = '/_tripwire/status') {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(key, v);
  let test = request(app.callback()).post(path).auth(CREDENTIALS.username, CREDENTIALS.password).type('form');
  for (const [name, value] of Object.entries(headers)) test = test.set(name, value);
  return test.send(body.toString());
}

export const SHA_RELEASE = '493cd4f2b1c0e5d7a9f8e6c4b2a0d1e3f5a7c9b1';

export interface TriageApp {
  origin: string;
  store: DashboardMemoryStore;
  /** A request from a client, waited on until its report is stored. */
  hit(path: string, init?: { method?: string; headers?: Record<string, string>; body?: string; instance?: 0 | 1 }): Promise<number>;
  close(): Promise<void>;
}

/**
 * Two instances of one app (release SHA_RELEASE in production, release 1.4.2 in staging)
 * reporting through stack() into one DashboardMemoryStore, the dashboard on the first,
 * and an upstream that answers 502 to the app's axios call: every report is built by a
 * real request.
 */
export async function startTriageApp(dashboardOptions: Partial<DashboardOptions> = {}): Promise<TriageApp> {
  const store = new DashboardMemoryStore();
  const upstream = http.createServer((req, res) => {
    res.writeHead(502, { 'Content-Type': 'application/json', 'X-Upstream-Id': 'up-7' });
    res.end(JSON.stringify({ error: 'bad gateway', path: req.url }));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  const instances = [{ release: SHA_RELEASE, environment: 'production' }, { release: '1.4.2', environment: 'staging' }].map((where) => {
    const outboxDir = mkdtempSync(path.join(os.tmpdir(), 'tripwire-triage-'));
    const reporting = { store, notifiers: [], logger: silentLogger, ...where };
    const tripwire = stack({ errors: { ...reporting, delivery: { outboxDir } }, brokenLinks: { ...reporting, delivery: { outboxDir: `${outboxDir}-links` } } });
    const app = new Koa();
    app.silent = true;
    app.proxy = true;
    app.use(tripwire.dashboard({ auth: CREDENTIALS, ...dashboardOptions }));
    app.use(async (ctx, next) => {
      const user = ctx.get('X-User');
      if (user) ctx.state.user = { id: user, username: `user-${user}` };
      await next();
    });
    app.use(tripwire);
    const router = new Router();
    router.get('/api/orders/:id', (ctx) => { throw new TypeError(`Order ${ctx.params.id.length > 3 ? 'x' : 'y'} has no owner`); });
    router.post('/api/charge', async () => {
      await axios.post(`${upstreamUrl}/v1/charges?api_key=sk_live_upstreamsecret123`, { amount: 100 }, { headers: { Authorization: 'Bearer upstream-secret-token' } });
    });
    router.get('/api/report', (ctx) => { throw new Error(`Report failed for ${ctx.get('Authorization') ? 'a client' : 'nobody'}`); });
    app.use(router.routes());
    return { app, tripwire, server: http.createServer(app.callback()) };
  });
  for (const { server } of instances) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origins = instances.map(({ server }) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  return {
    origin: origins[0], store,
    async hit(target, init = {}) {
      const instance = instances[init.instance ?? 0];
      const status = await new Promise<number>((resolve, reject) => {
        const request = http.request(`${origins[init.instance ?? 0]}${target}`, { method: init.method ?? 'GET', headers: init.headers }, (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        });
        request.on('error', reject);
        request.end(init.body);
      });
      await instance.tripwire.flush();
      return status;
    },
    async close() {
      for (const { server, tripwire } of instances) {
        await new Promise((resolve) => server.close(resolve));
        await tripwire.close(2000);
      }
      await new Promise((resolve) => upstream.close(resolve));
    },
  };
}
