// Child processes of the bench: every server, stub and MongoDB-speaking server runs in
// a process of its own, registered here so that none outlives the runner (normal exit,
// error, SIGINT or SIGTERM).
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const live = new Set<ChildProcess>();

/** True when running from the TypeScript sources (tsx) rather than from dist/. */
export const fromSource = __filename.endsWith('.ts');

/** The repository root: the nearest directory up whose package.json is koa-tripwire's. */
export const repoRoot = (() => {
  let dir = __dirname;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'koa-tripwire') return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('bench: cannot find the koa-tripwire package root');
    dir = up;
  }
})();

/** A bench script next to this file, as .ts (tsx) or .js (dist). */
export function benchScript(relative: string): string {
  return path.join(__dirname, `${relative}${fromSource ? '.ts' : '.js'}`);
}

export interface NodeChild {
  name: string;
  proc: ChildProcess;
  pid: number;
  port: number;
  /** Sends `{ cmd, id }` over IPC and resolves with the reply (or rejects after timeoutMs). */
  ask<T = Record<string, unknown>>(cmd: string, timeoutMs?: number): Promise<T>;
  /** The last few KB of the child's stdout and stderr. */
  output(): string;
  stop(): Promise<void>;
}

let nextAskId = 1;

/**
 * Forks a node script (through tsx when running from source) and waits for it to print
 * `ready <port>`.
 */
export function startNode(name: string, script: string, args: string[], env: Record<string, string | undefined> = {}, readyTimeoutMs = 30_000): Promise<NodeChild> {
  const proc = fork(script, args, {
    cwd: repoRoot,
    env: { ...process.env, NODE_ENV: 'production', ...env },
    execArgv: fromSource ? ['--import', 'tsx'] : [],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  track(proc);
  let log = '';
  const keep = (chunk: Buffer) => { log = (log + chunk.toString()).slice(-8000); };
  proc.stderr!.on('data', keep);

  return new Promise<NodeChild>((resolve, reject) => {
    let stdout = '';
    let isReady = false;
    const timer = setTimeout(() => {
      void stopProcess(proc);
      reject(new Error(`${name}: not ready within ${readyTimeoutMs} ms\n${log}`));
    }, readyTimeoutMs);
    const onExit = (code: number | null, signal: string | null) => {
      clearTimeout(timer);
      reject(new Error(`${name}: exited before it was ready (code ${code}, signal ${signal})\n${log.trim()}`));
    };
    proc.once('exit', onExit);
    proc.stdout!.on('data', (chunk: Buffer) => {
      keep(chunk);
      if (isReady) return;
      stdout += chunk.toString();
      const match = /^ready (\d+)$/m.exec(stdout);
      if (!match) return;
      isReady = true;
      clearTimeout(timer);
      proc.off('exit', onExit);
      const port = Number(match[1]);
      resolve({
        name,
        proc,
        pid: proc.pid!,
        port,
        output: () => log,
        stop: () => stopProcess(proc),
        ask: <T>(cmd: string, timeoutMs = 5000) => new Promise<T>((ok, fail) => {
          const id = nextAskId++;
          const onMessage = (message: { id?: number }) => {
            if (message?.id !== id) return;
            clearTimeout(t);
            proc.off('message', onMessage);
            ok(message as T);
          };
          const t = setTimeout(() => {
            proc.off('message', onMessage);
            fail(new Error(`${name}: no answer to ${cmd} within ${timeoutMs} ms`));
          }, timeoutMs);
          proc.on('message', onMessage);
          try {
            proc.send({ cmd, id });
          } catch (err) {
            clearTimeout(t);
            proc.off('message', onMessage);
            fail(err as Error);
          }
        }),
      });
    });
  });
}

export interface ExternalChild {
  proc: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Spawns a non-node program (the MongoDB-speaking server) and waits until `port` accepts connections. */
export async function startProgram(name: string, bin: string, args: string[], port: number, readyTimeoutMs = 60_000): Promise<ExternalChild> {
  const proc = spawn(bin, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  track(proc);
  let log = '';
  const keep = (chunk: Buffer) => { log = (log + chunk.toString()).slice(-8000); };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  let spawnError: Error | undefined;
  proc.once('error', (err) => { spawnError = err; });
  const deadline = Date.now() + readyTimeoutMs;
  while (!(await portOpen(port))) {
    if (spawnError || proc.exitCode !== null || proc.signalCode !== null) {
      throw new Error(`${name} exited: ${spawnError?.message ?? ''}${log.slice(-2000)}`);
    }
    if (Date.now() > deadline) {
      await stopProcess(proc);
      throw new Error(`${name} did not listen on 127.0.0.1:${port} within ${readyTimeoutMs} ms\n${log.slice(-2000)}`);
    }
    await sleep(250);
  }
  return { proc, output: () => log, stop: () => stopProcess(proc) };
}

/** SIGTERM, then SIGKILL after graceMs; resolves when the process is gone. */
export function stopProcess(proc: ChildProcess, graceMs = 3000): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) {
    live.delete(proc);
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
    proc.once('exit', () => {
      clearTimeout(timer);
      live.delete(proc);
      resolve();
    });
    proc.kill('SIGTERM');
  });
}

export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((proc) => stopProcess(proc)));
}

/** Registers a child so that it never outlives the runner. */
export function track(proc: ChildProcess): void {
  live.add(proc);
  proc.once('exit', () => live.delete(proc));
}

let cleanupInstalled = false;
/** Kills every child on exit, and stops them then exits on SIGINT/SIGTERM. */
export function installCleanup(onSignal?: () => void): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.on('exit', () => {
    for (const proc of live) proc.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      console.error(`\nbench: ${signal}, stopping child processes…`);
      onSignal?.();
      const forced = setTimeout(() => process.exit(130), 5000);
      void stopAll().finally(() => {
        clearTimeout(forced);
        process.exit(130);
      });
    });
  }
}

export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
