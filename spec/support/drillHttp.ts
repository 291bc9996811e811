// HTTP helpers for the bad-input spec and the fault drills: a Koa app served on
// 127.0.0.1, requests sent exactly as written (no URL normalisation, no header
// validation beyond Node's own), raw bytes over a socket when even Node's client
// would refuse them, and a bounded pool to run a storm of requests.
import http, { type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import type Koa from 'koa';

export interface Served {
  port: number;
  base: string;
  server: http.Server;
  close(): Promise<void>;
}

/** Serves a Koa app on a free loopback port. */
export async function serve(app: Koa): Promise<Served> {
  const server = http.createServer(app.callback());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    base: `http://127.0.0.1:${port}`,
    server,
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** Parsed JSON body, or undefined when the body is not JSON. */
  json: unknown;
}

export interface SendOptions {
  method?: string;
  headers?: OutgoingHttpHeaders;
  body?: string | Buffer;
  /** Gives up (rejects) after this long; only bounds a broken run. */
  timeoutMs?: number;
  /** Reuse connections (for long storms against a server that stays up). */
  keepAlive?: boolean;
}

// One connection per request: a drill that kills a server must not leave a pooled
// socket behind, and a request never waits for another's keep-alive slot.
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
const keepAliveAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/**
 * Sends one request with the path and headers exactly as given (Node's client does
 * not percent-encode the path: `<`, `|`, `%zz` travel raw).
 */
export function send(port: number, path: string, options: SendOptions = {}): Promise<Answer> {
  const { method = 'GET', headers = {}, body, timeoutMs = 30_000, keepAlive = false } = options;
  return new Promise<Answer>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, headers, agent: keepAlive ? keepAliveAgent : agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer to ${method} ${path.slice(0, 80)} within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Writes raw bytes on a fresh socket and resolves with everything the server sent
 * back before closing (or before `timeoutMs`, when the server keeps the socket open).
 */
export function sendRaw(port: number, bytes: string | Buffer, timeoutMs = 5_000): Promise<string> {
  return new Promise<string>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      // A complete response to one request: headers and, when announced, the whole body.
      const text = Buffer.concat(chunks).toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(text)?.[1];
      if (end !== -1 && length !== undefined && Buffer.byteLength(text.slice(end + 4), 'latin1') >= Number(length)) finish();
    });
    socket.on('error', finish);
    socket.on('close', finish);
    socket.on('connect', () => socket.write(bytes));
  });
}

/** Status code of a raw HTTP response ("HTTP/1.1 431 ..." → 431), or 0 when there was none. */
export function rawStatus(response: string): number {
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(response);
  return match ? Number(match[1]) : 0;
}

export interface StormResult<T> {
  /** Results by index; undefined where the request failed. */
  results: Array<T | undefined>;
  errors: Array<{ index: number; error: unknown }>;
}

/**
 * Runs `count` requests, at most `concurrency` at a time, in index order of start.
 * `onSettled` is told after each one (for "stop the server after the 100th answer").
 * Bounded: every request settles (send() has its own timeout).
 */
export async function storm<T>(
  count: number,
  concurrency: number,
  one: (index: number) => Promise<T>,
  onSettled?: (settled: number) => void | Promise<void>,
): Promise<StormResult<T>> {
  const results: Array<T | undefined> = new Array(count).fill(undefined);
  const errors: StormResult<T>['errors'] = [];
  let next = 0;
  let settled = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      try {
        results[index] = await one(index);
      } catch (error) {
        errors.push({ index, error });
      }
      settled++;
      await onSettled?.(settled);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { results, errors };
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
