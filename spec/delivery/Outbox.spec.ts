import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Outbox } from '../../lib/delivery/Outbox';
import { silentLogger } from '../../lib/core/logger';
import type { Logger } from '../../lib/core/logger';
import { makeReport } from '../support/reports';
import { recordingLogger } from '../support/recordingLogger';

describe('Outbox', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tripwire-outbox-spec-'));
    dirs.push(dir);
    return dir;
  };
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('writes segments in order, reads them back and removes them', async () => {
    const dir = tempDir();
    const outbox = new Outbox(dir, 10 * 1024 * 1024, silentLogger);
    const a = [makeReport(), makeReport()];
    const b = [makeReport()];
    expect(outbox.empty).to.equal(true);
    const writes = [outbox.append(a.map((report) => ({ report, notified: true }))), outbox.append(b.map((report) => ({ report, notified: false })))];
    expect(outbox.empty).to.equal(false);
    expect(await Promise.all(writes)).to.deep.equal([{ written: 2, dropped: 0 }, { written: 1, dropped: 0 }]);
    expect(fs.readdirSync(dir).sort()).to.deep.equal(['000000000001.ndjson', '000000000002.ndjson']);

    const first = outbox.oldest()!;
    expect((await outbox.read(first)).map((e) => [e.report.id, e.notified])).to.deep.equal(a.map((r) => [r.id, true]));
    await outbox.remove(first);
    const second = outbox.oldest()!;
    expect((await outbox.read(second)).map((e) => [e.report.id, e.notified])).to.deep.equal([[b[0].id, false]]);
    await outbox.remove(second);
    expect(outbox.empty).to.equal(true);
    expect(fs.readdirSync(dir)).to.deep.equal([]);
  });

  it('makes its folder (0700) on the first write only: a store that never fails leaves no folder behind', async () => {
    const dir = path.join(tempDir(), 'outbox');
    const outbox = new Outbox(dir, 1024 * 1024, silentLogger);
    expect(await outbox.ready).to.equal(true);
    expect(fs.existsSync(dir)).to.equal(false);
    expect(await outbox.append([{ report: makeReport(), notified: false }])).to.deep.equal({ written: 1, dropped: 0 });
    expect(fs.statSync(dir).mode & 0o777).to.equal(0o700);
  });

  it('rotates segments at about 1 MiB', async () => {
    const outbox = new Outbox(tempDir(), 100 * 1024 * 1024, silentLogger);
    const big = 'x'.repeat(300 * 1024);
    const reports = Array.from({ length: 7 }, () => makeReport({ title: big }));
    await outbox.append(reports.map((report) => ({ report, notified: false })));
    const ids: string[] = [];
    for (let segment = outbox.oldest(); segment; segment = outbox.oldest()) {
      expect(segment.bytes).to.be.below(1.5 * 1024 * 1024);
      ids.push(...(await outbox.read(segment)).map((e) => e.report.id));
      await outbox.remove(segment);
    }
    expect(ids).to.deep.equal(reports.map((r) => r.id));
  });

  it('drops what does not fit in maxBytes', async () => {
    const reports = Array.from({ length: 5 }, () => makeReport());
    const line = Buffer.byteLength(`${JSON.stringify({ report: reports[0], notified: false })}\n`);
    const outbox = new Outbox(tempDir(), line * 2 + 10, silentLogger);
    expect(await outbox.append(reports.map((report) => ({ report, notified: false })))).to.deep.equal({ written: 2, dropped: 3 });
    expect(outbox.sizeBytes).to.be.at.most(line * 2 + 10);
  });

  it('picks up segments left by an earlier process in numeric order and skips a corrupt line', async () => {
    const dir = tempDir();
    const [a, b] = [makeReport(), makeReport()];
    fs.writeFileSync(path.join(dir, '000000000010.ndjson'), `${JSON.stringify({ report: b, notified: false })}\n{"report":{"id":"cut`);
    fs.writeFileSync(path.join(dir, '000000000009.ndjson'), `${JSON.stringify({ report: a, notified: true })}\n`);
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a segment');
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (message) => { warnings.push(message); } };
    const outbox = new Outbox(dir, 1024 * 1024, logger);
    expect(await outbox.holdsEarlierSegments(), 'known once the folder is listed, asked before it is').to.equal(true);
    expect(await outbox.ready).to.equal(true);
    const first = outbox.oldest()!;
    expect((await outbox.read(first)).map((e) => e.report.id)).to.deep.equal([a.id]);
    await outbox.remove(first);
    const second = outbox.oldest()!;
    expect((await outbox.read(second)).map((e) => e.report.id)).to.deep.equal([b.id]);
    expect(warnings).to.deep.equal(['outbox line is corrupt and was skipped']);
    await outbox.append([{ report: makeReport(), notified: false }]);
    expect(fs.readdirSync(dir)).to.include('000000000011.ndjson');
    expect(await outbox.holdsEarlierSegments()).to.equal(true);
    await outbox.remove(second);
    expect(await outbox.holdsEarlierSegments(), 'its own segments are not an earlier run\'s').to.equal(false);
    expect(outbox.empty).to.equal(false);
  });

  it('holds no earlier segments when its folder is missing or empty, whatever it writes itself', async () => {
    for (const dir of [path.join(tempDir(), 'missing'), tempDir()]) {
      const outbox = new Outbox(dir, 1024 * 1024, silentLogger);
      expect(await outbox.holdsEarlierSegments()).to.equal(false);
      await outbox.append([{ report: makeReport(), notified: false }]);
      expect(await outbox.holdsEarlierSegments()).to.equal(false);
    }
  });

  it('a folder named like a segment: read() logs it unreadable and gives nothing; remove() lists it no more, leaves it and logs the failed delete without calling it replayed', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, '000000000001.ndjson'));
    const logger = recordingLogger();
    const outbox = new Outbox(dir, 1024 * 1024, logger);
    expect(await outbox.ready).to.equal(true);
    const folder = outbox.oldest()!;
    expect(await outbox.read(folder)).to.deep.equal([]);
    await outbox.remove(folder);
    expect(outbox.oldest()).to.equal(undefined);
    expect(fs.statSync(path.join(dir, '000000000001.ndjson')).isDirectory()).to.equal(true);
    expect(logger.lines.filter((l) => l.level !== 'info').map((l) => [l.level, l.message, path.basename(String(l.fields?.file))])).to.deep.equal([
      ['error', 'outbox segment unreadable; skipped', '000000000001.ndjson'],
      ['warn', 'could not delete an outbox segment', '000000000001.ndjson'],
    ]);
  });

  it('reports everything dropped when the directory cannot be used', async () => {
    const file = path.join(tempDir(), 'a-file');
    fs.writeFileSync(file, '');
    const errors: string[] = [];
    const outbox = new Outbox(path.join(file, 'outbox'), 1024 * 1024, { ...silentLogger, error: (m) => { errors.push(m); } });
    expect(await outbox.ready).to.equal(false);
    expect(await outbox.append([{ report: makeReport(), notified: false }])).to.deep.equal({ written: 0, dropped: 1 });
    expect(errors).to.have.length(1);
  });
});
