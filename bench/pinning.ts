// Keeping the load generator and the server off each other's core on the happy path. On a
// small shared machine the scheduler otherwise moves them (and other tenants' work) between
// the cores from one moment to the next, and a round's req/s measures where they landed as
// much as the server. With `taskset` and at least two usable cores, the runner (autocannon
// runs in its event loop) keeps one core and each server, every thread of it, another; without
// them nothing is pinned and the figures say so. https://man7.org/linux/man-pages/man1/taskset.1.html
import { spawnSync } from 'node:child_process';

export interface Pinning {
  /** The core the runner (load generator) is kept on, and the one each server gets. */
  loadGenerator: string;
  server: string;
  /** This process's affinity before, restored by `release`. */
  before: string;
}

function taskset(args: string[]): string | undefined {
  try {
    const out = spawnSync('taskset', args, { encoding: 'utf8', timeout: 5000 });
    return out.status === 0 ? out.stdout : undefined;
  } catch {
    return undefined;
  }
}

/** The cores this process may run on, as a list of numbers (empty when taskset cannot say). */
function allowedCores(pid: number): { list: string; cores: number[] } | undefined {
  const out = taskset(['-pc', String(pid)]);
  const list = out?.split(':').pop()?.trim();
  if (!list) return undefined;
  const cores: number[] = [];
  for (const range of list.split(',')) {
    const [from, to = from] = range.split('-').map(Number);
    for (let c = from; c <= to; c++) cores.push(c);
  }
  return cores.every(Number.isInteger) ? { list, cores } : undefined;
}

/** Pins this process (every thread) to one core and returns the core for servers; undefined (nothing pinned) when that cannot be done. */
export function pinLoadGenerator(): Pinning | undefined {
  const allowed = allowedCores(process.pid);
  if (!allowed || allowed.cores.length < 2) return undefined;
  const [loadGenerator, server] = allowed.cores.map(String);
  if (taskset(['-a', '-pc', loadGenerator, String(process.pid)]) === undefined) return undefined;
  return { loadGenerator, server, before: allowed.list };
}

/** Pins a server (every thread it has; threads it starts later inherit it). False when it failed: the server runs unpinned. */
export function pinServer(pinning: Pinning | undefined, pid: number): boolean {
  return pinning !== undefined && taskset(['-a', '-pc', pinning.server, String(pid)]) !== undefined;
}

/** Gives this process back the cores it had. */
export function release(pinning: Pinning | undefined): void {
  if (pinning) taskset(['-a', '-pc', pinning.before, String(process.pid)]);
}
