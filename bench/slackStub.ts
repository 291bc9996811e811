// A local stand-in for a Slack incoming webhook, for the error-path runs.
// Usage: node slackStub.js <mode> [port]   (port 0 or absent = any free port)
//   slow          200 "ok" after 500 ms
//   rate-limited  429, Retry-After: 1, {"ok":false,"error":"rate_limited"} to everything
//   refused       a port is bound then closed, so every connection is refused
//   ok            200 "ok" at once
// Prints `ready <port>` on stdout; over IPC, `{ cmd: 'stats' }` is answered with the
// number of requests received. Exits on SIGTERM/SIGINT or when the runner goes away.
import http from 'node:http';
import net from 'node:net';

type Mode = 'slow' | 'rate-limited' | 'refused' | 'ok';
const MODES: Mode[] = ['slow', 'rate-limited', 'refused', 'ok'];

const mode = process.argv[2] as Mode;
const port = Number(process.argv[3] ?? 0);
if (!MODES.includes(mode) || !Number.isInteger(port)) {
  console.error(`usage: slackStub <${MODES.join('|')}> [port]`);
  process.exit(2);
}

const stats = { mode, requests: 0, bytes: 0 };
let server: http.Server | undefined;

function answer(req: http.IncomingMessage, res: http.ServerResponse): void {
  stats.requests += 1;
  req.on('data', (chunk: Buffer) => { stats.bytes += chunk.length; });
  req.on('end', () => {
    if (mode === 'rate-limited') {
      res.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': '1' });
      res.end('{"ok":false,"error":"rate_limited"}');
    } else if (mode === 'slow') {
      const timer = setTimeout(() => {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('ok');
      }, 500);
      res.on('close', () => clearTimeout(timer));
    } else {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok');
    }
  });
}

function ready(bound: number): void {
  process.stdout.write(`ready ${bound}\n`);
}

if (mode === 'refused') {
  // Bind, note the port, close: nothing listens there afterwards, so connecting is refused.
  const probe = net.createServer();
  probe.listen(port, '127.0.0.1', () => {
    const bound = (probe.address() as net.AddressInfo).port;
    probe.close(() => ready(bound));
  });
} else {
  server = http.createServer(answer);
  server.keepAliveTimeout = 5000;
  server.listen(port, '127.0.0.1', () => ready((server!.address() as net.AddressInfo).port));
}

process.on('message', (message: { cmd?: string; id?: number }) => {
  if (message?.cmd === 'stats' && process.send) process.send({ id: message.id, stats });
});

const stop = () => {
  setTimeout(() => process.exit(0), 1000).unref();
  if (!server) process.exit(0);
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop);
// The refused mode has nothing listening; keep the process (and its IPC channel) alive.
setInterval(() => {}, 60_000);
