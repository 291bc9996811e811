import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DeadLetter } from '../../lib/delivery/DeadLetter';
import { makeReport } from '../support/reports';
import { recordingLogger } from '../support/recordingLogger';

describe('DeadLetter', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tripwire-dead-'));
    dirs.push(dir);
    return dir;
  };
  after(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it('writes one NDJSON line per report in <outboxDir>/dead/, in order, each logged once with its id and why', async () => {
    const dir = tempDir();
    const logger = recordingLogger();
    const dead = new DeadLetter(dir, 1024 * 1024, logger, 'errors');
    const reports = [makeReport(), makeReport()];
    const at = Date.UTC(2026, 0, 2, 3, 4, 5);
    expect(await Promise.all(reports.map((r, i) => dead.write(r, `reason ${i}`, at)))).to.deep.equal([true, true]);
    const files = fs.readdirSync(path.join(dir, 'dead'));
    expect(files).to.have.length(1);
    expect(files[0]).to.match(new RegExp(`^\\d{4}-\\d{2}-\\d{2}-${process.pid}\\.ndjson$`));
    const lines = fs.readFileSync(path.join(dir, 'dead', files[0]), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.id, l.reason, l.at])).to.deep.equal(reports.map((r, i) => [r.id, `reason ${i}`, '2026-01-02T03:04:05.000Z']));
    expect(lines[0].report).to.deep.equal(reports[0]);
    expect(logger.lines.map((l) => [l.message, l.fields?.reportId])).to.deep.equal(reports.map((r) => ['report the store refused for good was dead-lettered', r.id]));
  });

  it('past maxBytes, writes nothing more and says so for each report', async () => {
    const dir = tempDir();
    const logger = recordingLogger();
    const dead = new DeadLetter(dir, 10, logger, 'errors');
    const report = makeReport();
    expect(await dead.write(report, 'too big to keep', 0)).to.equal(false);
    expect(fs.existsSync(path.join(dir, 'dead'))).to.equal(false);
    expect(logger.lines.map((l) => l.fields?.reportId)).to.deep.equal([report.id]);
    expect(logger.lines[0].message).to.match(/dead-letter file is full/);
  });

  it('a folder it cannot write to: resolves false and logs, never rejects', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'dead'), 'a file where the folder should be');
    const logger = recordingLogger();
    expect(await new DeadLetter(dir, 1024 * 1024, logger, 'errors').write(makeReport(), 'why', 0)).to.equal(false);
    expect(logger.lines[0].message).to.equal('could not dead-letter a report');
  });
});
