// Runs one documentation snippet (the file named by argv[2]) as a CommonJS module would run,
// for spec/support/docSnippets.ts's runSnippet. What differs from `node snippet.js`, and why:
// - `require('koa-tripwire')` loads lib/index.ts, `koa-tripwire/advanced` lib/advanced.ts (the
//   snippet is documentation of this checkout);
// - `server.listen(3000)` listens on a free loopback port, so snippets never collide;
// - once the snippet is done, the SIGTERM handlers it installed run (a deploy stopping it),
//   and it passes when every server it started has closed; servers that nothing closes
//   are closed here; then what it left running may finish (up to 8 s). Any throw,
//   unhandled rejection or uncaught exception fails it.
import http from 'node:http';
import Module, { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const ENTRIES: Record<string, string> = {
  'koa-tripwire': path.join(ROOT, 'lib', 'index.ts'),
  'koa-tripwire/advanced': path.join(ROOT, 'lib', 'advanced.ts'),
};
const DONE = 'snippet finished';

function fail(what: string, err: unknown): never {
  console.error(`snippet failed (${what}):`, err);
  process.exit(1);
}
process.on('unhandledRejection', (err) => fail('unhandled rejection', err));
process.on('uncaughtException', (err) => fail('uncaught exception', err));

const modules = Module as unknown as { _resolveFilename(request: string, ...rest: unknown[]): string };
const resolveFilename = modules._resolveFilename;
modules._resolveFilename = function (request: string, ...rest: unknown[]) {
  return resolveFilename.call(this, ENTRIES[request] ?? request, ...rest);
};

const servers: http.Server[] = [];
const listen = http.Server.prototype.listen;
http.Server.prototype.listen = function (this: http.Server, ...args: unknown[]) {
  servers.push(this);
  if (typeof args[0] === 'number') args.splice(0, 1, 0, '127.0.0.1');
  return (listen as (...a: unknown[]) => http.Server).apply(this, args);
} as typeof listen;

async function main(file: string): Promise<void> {
  const code = readFileSync(file, 'utf8');
  const requireHere = createRequire(path.join(ROOT, 'snippet.js'));
  const module = { exports: {} };
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<unknown>;
  await new AsyncFunction('require', 'module', 'exports', '__filename', '__dirname', code)(requireHere, module, module.exports, file, path.dirname(file));
  await new Promise((resolve) => setImmediate(resolve));

  const stops = process.listeners('SIGTERM');
  for (const stop of stops) stop('SIGTERM');
  const deadline = Date.now() + 15_000;
  while (stops.length > 0 && servers.some((s) => s.listening)) {
    if (Date.now() > deadline) fail('shutdown', new Error('a SIGTERM handler ran but the server was still listening 15 s later'));
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await Promise.all(servers.filter((s) => s.listening).map((s) => new Promise((resolve) => s.close(resolve))));
  // What the snippet started after its last line (a graceful shutdown's tripwire.close(), a
  // query) runs to its end: wait for the event loop to empty, within a deadline, since a
  // connection a snippet opened and leaves open is not a failure.
  await new Promise((resolve) => {
    process.once('beforeExit', resolve);
    setTimeout(resolve, 8_000).unref();
  });
  console.log(DONE);
  process.exit(0);
}

main(process.argv[2]).catch((err) => fail('threw', err));
