// Driving a Koa app without sockets: app.callback() is handed node's own IncomingMessage
// and ServerResponse (no socket behind them), so every Koa and node operation a request
// triggers runs (header validation, status line and header serialisation, JSON.stringify,
// Content-Length) except the kernel's and the client's share. What a middleware adds to
// that is what it costs a server. The request's socket is a stand-in holding the peer
// address (Koa's ctx.ip reads it); the response has none, so its bytes stay in memory.
import http from 'node:http';
import type Koa from 'koa';

const PEER = { remoteAddress: '127.0.0.1', remotePort: 50000, encrypted: false } as unknown as http.IncomingMessage['socket'];

export type Handler = () => Promise<void>;

/** One request per call to the returned function, resolved once the response has been ended. */
export function requester(app: Koa, method: string, url: string, headers: http.IncomingHttpHeaders = {}): Handler {
  const callback = app.callback() as unknown as (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;
  return () => {
    const req = new http.IncomingMessage(undefined as never);
    req.method = method;
    req.url = url;
    req.headers = headers;
    req.httpVersion = '1.1';
    req.httpVersionMajor = 1;
    req.httpVersionMinor = 1;
    req.socket = PEER;
    req.push(null);
    const res = new http.ServerResponse(req);
    return callback(req, res);
  };
}

/** What the response looked like, to check a variant does what it claims before timing it. */
export async function probe(app: Koa, method: string, url: string, headers: http.IncomingHttpHeaders = {}): Promise<{ status: number; headers: http.OutgoingHttpHeaders; body: string }> {
  const callback = app.callback() as unknown as (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;
  const req = new http.IncomingMessage(undefined as never);
  Object.assign(req, { method, url, headers, httpVersion: '1.1', httpVersionMajor: 1, httpVersionMinor: 1, socket: PEER });
  req.push(null);
  const res = new http.ServerResponse(req);
  let body = '';
  const end = res.end.bind(res);
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    if (typeof chunk === 'string' || Buffer.isBuffer(chunk)) body = String(chunk);
    return (end as (...args: unknown[]) => http.ServerResponse)(chunk, ...rest);
  }) as typeof res.end;
  await callback(req, res);
  return { status: res.statusCode, headers: res.getHeaders(), body };
}

/**
 * CPU microseconds (user + system, this process, GC threads included) per call of `run`,
 * `count` calls one after the other. CPU time rather than wall time: on a shared machine
 * the wall clock also counts the time other processes held the core.
 */
export async function timeCalls(run: Handler, count: number): Promise<number> {
  const t0 = process.cpuUsage();
  for (let i = 0; i < count; i++) await run();
  const used = process.cpuUsage(t0);
  return (used.user + used.system) / count;
}
