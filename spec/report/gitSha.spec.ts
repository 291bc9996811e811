import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gitSha } from '../../lib/report/gitSha';

const SHA_A = 'a'.repeat(40);
const SHA_B = 'b'.repeat(40);

describe('gitSha', () => {
  let root: string;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tripwire-git-'));
  });

  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  function write(file: string, content: string): void {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), content);
  }

  it("finds this checkout's HEAD commit", () => {
    const expected = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: process.cwd(), encoding: 'utf8' }).trim();
    expect(gitSha(process.cwd())).to.equal(expected);
  });

  it('follows a ref to its loose ref file, searching upward from a subdirectory', () => {
    write('.git/HEAD', 'ref: refs/heads/main\n');
    write('.git/refs/heads/main', `${SHA_A}\n`);
    write('app/src/.keep', '');
    expect(gitSha(path.join(root, 'app/src'))).to.equal(SHA_A);
  });

  it('reads packed-refs when the ref has no loose file', () => {
    write('.git/HEAD', 'ref: refs/heads/release\n');
    write('.git/packed-refs', `# pack-refs with: peeled fully-peeled sorted\n${SHA_A} refs/heads/main\n${SHA_B} refs/heads/release\n`);
    expect(gitSha(root)).to.equal(SHA_B);
  });

  it('reads a detached HEAD', () => {
    write('.git/HEAD', `${SHA_B}\n`);
    expect(gitSha(root)).to.equal(SHA_B);
  });

  it('follows a linked worktree to the shared refs', () => {
    write('main/.git/packed-refs', `${SHA_A} refs/heads/feature\n`);
    write('main/.git/worktrees/wt/HEAD', 'ref: refs/heads/feature\n');
    write('main/.git/worktrees/wt/commondir', '../..\n');
    write('wt/.git', `gitdir: ${path.join(root, 'main/.git/worktrees/wt')}\n`);
    expect(gitSha(path.join(root, 'wt'))).to.equal(SHA_A);
  });

  it('is null outside any repository', () => {
    expect(gitSha(root)).to.equal(null);
  });

  it('is null for a ref that cannot be resolved, and caches per directory', () => {
    write('.git/HEAD', 'ref: refs/heads/missing\n');
    expect(gitSha(root)).to.equal(null);
    write('.git/refs/heads/missing', `${SHA_A}\n`);
    // Read once: the answer does not change while the process runs.
    expect(gitSha(root)).to.equal(null);
  });
});
