import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Outbox } from '../../lib/delivery/Outbox';
import { DeadLetter } from '../../lib/delivery/DeadLetter';
import { makePrivateDir, openPrivateFile } from '../../lib/delivery/privateFiles';
import { silentLogger } from '../../lib/core/logger';
import { makeReport } from '../support/reports';

const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

// Issue 18: outbox and dead-letter files were created 0644 in 0755 folders, readable by every local user.
describe('privateFiles: outbox and dead-letter files are the app user\'s only, whatever the umask', () => {
  let umask: number;
  const dirs: string[] = [];
  beforeEach(() => { umask = process.umask(0); });
  afterEach(() => { process.umask(umask); });
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tripwire-modes-'));
    dirs.push(dir);
    return dir;
  };

  it('makes folders 0700 and files 0600 with umask 0, and tightens a folder an earlier version left 0755', async () => {
    const root = tempDir();
    const old = path.join(root, 'old');
    fs.mkdirSync(old, { mode: 0o755 });
    expect(modeOf(old)).to.equal(0o755);
    await makePrivateDir(old);
    expect(modeOf(old)).to.equal(0o700);
    const nested = path.join(root, 'a', 'b');
    await makePrivateDir(nested);
    expect(modeOf(nested)).to.equal(0o700);
    const handle = await openPrivateFile(path.join(nested, 'f'), 'wx');
    await handle.close();
    expect(modeOf(path.join(nested, 'f'))).to.equal(0o600);
  });

  it('the outbox: folder 0700, segments 0600', async () => {
    const dir = path.join(tempDir(), '.tripwire-outbox');
    const outbox = new Outbox(dir, 1024 * 1024, silentLogger);
    expect(await outbox.append([{ report: makeReport(), notified: false }])).to.deep.equal({ written: 1, dropped: 0 });
    expect(modeOf(dir)).to.equal(0o700);
    const segments = fs.readdirSync(dir);
    expect(segments).to.have.length(1);
    expect(modeOf(path.join(dir, segments[0]))).to.equal(0o600);
  });

  it('the dead-letter file: folder 0700, file 0600, also when appended to', async () => {
    const outboxDir = tempDir();
    const dead = new DeadLetter(outboxDir, 1024 * 1024, silentLogger, 'spec');
    expect(await dead.write(makeReport(), 'refused', Date.now())).to.equal(true);
    expect(await dead.write(makeReport(), 'refused', Date.now())).to.equal(true);
    expect(modeOf(dead.dir)).to.equal(0o700);
    const files = fs.readdirSync(dead.dir);
    expect(files).to.have.length(1);
    expect(modeOf(path.join(dead.dir, files[0]))).to.equal(0o600);
    expect(fs.readFileSync(path.join(dead.dir, files[0]), 'utf8').trim().split('\n')).to.have.length(2);
  });
});
