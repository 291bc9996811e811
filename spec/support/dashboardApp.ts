// A Koa app serving the dashboard over an in-memory IssueStore, and a logged-in agent for it.
import Koa from 'koa';
import request from 'supertest';
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
