// Starts spec/support/reporterProcess.ts in a child process and reads its outbox from
// the parent, for the process-kill drills.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '..', '..');
const script = path.join(__dirname, 'reporterProcess.ts');

export interface Reporter {
  port: number;
  child: ChildProcess;
  /** Everything the child printed, stdout and stderr. */
  output(): string;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Waits for the child to exit by itself; SIGKILL (and a rejection) after `timeoutMs`. */
  waitExit(timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends a signal and waits for the exit (bounded: SIGKILL after `timeoutMs`). */
  stop(signal: NodeJS.Signals, timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<ChildProcess>();
// A drill that fails half-way must not leave a reporter behind.
process.once('exit', () => { for (const child of running) child.kill('SIGKILL'); });

export async function startReporter(env: Record<string, string>, readyWithinMs = 60_000): Promise<Reporter> {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', script], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  child.stdout!.on('data', (chunk) => { output += chunk; });
  child.stderr!.on('data', (chunk) => { output += chunk; });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`reporter not ready within ${readyWithinMs} ms:\n${output.slice(-2000)}`));
    }, readyWithinMs);
    const check = () => {
      const match = /^ready (\d+)$/m.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        resolve(Number(match[1]));
      }
    };
    child.stdout!.on('data', check);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`reporter exited before ready (code ${code}, signal ${signal}):\n${output.slice(-2000)}`));
    });
  });

  return {
    port,
    child,
    output: () => output,
    exited,
    async waitExit(timeoutMs) {
      let timedOut = false;
      const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, timeoutMs);
      const result = await exited;
      clearTimeout(timer);
      if (timedOut) throw new Error(`reporter did not exit within ${timeoutMs} ms:\n${output.slice(-2000)}`);
      return result;
    },
    async stop(signal, timeoutMs = 30_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

/** The outbox's segment files, oldest first. */
export function outboxSegments(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((name) => name.endsWith('.ndjson')).sort().map((name) => path.join(dir, name));
}

/**
 * Request ids of the reports parked in the outbox, one per complete line (a line cut
 * short by a kill is skipped, as delivery's replay skips it).
 */
export function outboxRequestIds(dir: string): string[] {
  const ids: string[] = [];
  for (const file of outboxSegments(dir)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        const entry = JSON.parse(line) as { report?: { request?: { requestId?: unknown } } };
        const id = entry.report?.request?.requestId;
        if (typeof id === 'string') ids.push(id);
      } catch {
        // Cut short by the kill.
      }
    }
  }
  return ids;
}
