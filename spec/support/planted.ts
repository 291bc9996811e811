// Planted secrets for the security specs: each distinct, so a leak names its source.
import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context } from 'koa';
import Koa from 'koa';
import net from 'node:net';

/** Fails naming every planted secret found anywhere in `sink` (serialised as JSON when not a string). */
export function expectNoSecrets(sink: unknown, secrets: Record<string, string> | string[], where = 'report'): void {
  const text = typeof sink === 'string' ? sink : JSON.stringify(sink);
  const list = Array.isArray(secrets) ? secrets.map((s) => [s, s] as const) : Object.entries(secrets);
  const leaked = list.filter(([, secret]) => text.includes(secret)).map(([name]) => name);
  expect(leaked, `secrets leaked into the ${where}`).to.deep.equal([]);
}

/** A Koa context of a real (unsent) request, for building reports in-process. */
export function requestContext(method = 'GET', url = '/api/things', headers: Record<string, string> = {}): Context {
  const req = new http.IncomingMessage(new net.Socket());
  req.method = method;
  req.url = url;
  req.headers = { host: 'app.test', ...headers };
  return new Koa().createContext(req, new http.ServerResponse(req));
}

/** A loopback HTTP server answering every request with `handler`; close it after. */
export async function upstream(handler: http.RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
