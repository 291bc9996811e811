import fs from 'node:fs';
import path from 'node:path';

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
const cache = new Map<string, string | null>();

/**
 * The commit checked out in the app's repository, found from `start` upward like
 * raven's fetch_git_sha: `.git/HEAD`, then the ref file, then packed-refs. Read
 * synchronously once per start directory and cached, so it costs nothing in the
 * request path. Null when there is no repository or it cannot be read.
 */
export function gitSha(start: string = process.cwd()): string | null {
  const dir = path.resolve(start);
  if (!cache.has(dir)) cache.set(dir, readGitSha(dir));
  return cache.get(dir) ?? null;
}

function readGitSha(start: string): string | null {
  try {
    const gitDir = findGitDir(start);
    if (!gitDir) return null;
    const head = fs.readFileSync(path.join(gitDir, 'HEAD'), 'utf8').trim();
    if (SHA.test(head)) return head;
    const ref = /^ref:\s*(\S+)$/.exec(head)?.[1];
    if (!ref) return null;
    // Linked worktrees keep HEAD to themselves and share refs with the main checkout.
    const commonDir = readCommonDir(gitDir);
    return readLooseRef(gitDir, ref) ?? readLooseRef(commonDir, ref) ?? readPackedRef(commonDir, ref);
  } catch {
    return null;
  }
}

function findGitDir(start: string): string | null {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, '.git');
    const stat = fs.statSync(candidate, { throwIfNoEntry: false });
    if (stat?.isDirectory()) return candidate;
    if (stat?.isFile()) {
      // Worktrees and submodules: ".git" is a file saying "gitdir: <path>".
      const pointer = /^gitdir:\s*(.+)$/m.exec(fs.readFileSync(candidate, 'utf8'))?.[1];
      return pointer ? path.resolve(dir, pointer.trim()) : null;
    }
    if (path.dirname(dir) === dir) return null;
  }
}

function readCommonDir(gitDir: string): string {
  try {
    return path.resolve(gitDir, fs.readFileSync(path.join(gitDir, 'commondir'), 'utf8').trim());
  } catch {
    return gitDir;
  }
}

function readLooseRef(gitDir: string, ref: string): string | null {
  try {
    const sha = fs.readFileSync(path.join(gitDir, ref), 'utf8').trim();
    return SHA.test(sha) ? sha : null;
  } catch {
    return null;
  }
}

function readPackedRef(gitDir: string, ref: string): string | null {
  try {
    for (const line of fs.readFileSync(path.join(gitDir, 'packed-refs'), 'utf8').split('\n')) {
      const [sha, name] = line.trim().split(' ');
      if (name === ref && SHA.test(sha)) return sha;
    }
    return null;
  } catch {
    return null;
  }
}
