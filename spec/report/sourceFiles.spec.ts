import { expect } from 'chai';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MAP_EXTENSIONS, RootFiles, SOURCE_EXTENSIONS, SourceFiles } from '../../lib/report/sourceFiles';

describe('RootFiles and SourceFiles', () => {
  let root: string;
  let outside: string;

  beforeEach(() => {
    root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'tripwire-root-')));
    outside = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'tripwire-outside-')));
    mkdirSync(path.join(root, 'lib'));
    mkdirSync(path.join(root, 'node_modules'));
    writeFileSync(path.join(root, 'lib', 'a.ts'), 'line one\nline two\r\nline three');
    writeFileSync(path.join(root, 'lib', 'a.js.map'), '{}');
    writeFileSync(path.join(root, '.env'), 'SECRET=x');
    writeFileSync(path.join(root, 'node_modules', 'dep.js'), 'dep');
    writeFileSync(path.join(outside, 'far.js'), 'far');
    writeFileSync(path.join(root, 'lib', 'big.js'), 'x'.repeat(2000));
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('reads sources and maps inside the root, each only with its own extensions', async () => {
    const files = new RootFiles(root, 1000);
    expect(await files.read(path.join(root, 'lib', 'a.ts'), SOURCE_EXTENSIONS)).to.equal('line one\nline two\r\nline three');
    expect(await files.read(path.join(root, 'lib', 'a.js.map'), MAP_EXTENSIONS)).to.equal('{}');
    expect(await files.read(path.join(root, 'lib', 'a.js.map'), SOURCE_EXTENSIONS)).to.equal(null);
    expect(await files.read(path.join(root, 'lib', 'big.js'), SOURCE_EXTENSIONS), 'over maxBytes').to.equal(null);
  });

  it('never reads outside the root, in node_modules, a non-source, or through a link whose target breaks a rule', async () => {
    const files = new RootFiles(root, 1000);
    symlinkSync('../.env', path.join(root, 'lib', 'x.js'));
    symlinkSync(path.join(outside, 'far.js'), path.join(root, 'lib', 'away.js'));
    symlinkSync(path.join(root, 'lib', 'a.ts'), path.join(outside, 'in.js'));
    const refused = [
      path.join(root, '.env'),
      path.join(root, 'node_modules', 'dep.js'),
      path.join(outside, 'far.js'),
      path.join(root, 'lib', 'x.js'),
      path.join(root, 'lib', 'away.js'),
      path.join(outside, 'in.js'),
      path.join(root, 'lib', '..', '..', path.basename(outside), 'far.js'),
      path.join(root, 'lib', 'missing.js'),
    ];
    for (const file of refused) expect(await files.read(file, SOURCE_EXTENSIONS), file).to.equal(null);
  });

  it('keeps the lines of a few files, least recently used going first', async () => {
    const lines = new SourceFiles(new RootFiles(root, 1000), 1);
    const file = path.join(root, 'lib', 'a.ts');
    expect(await lines.lines(file)).to.deep.equal(['line one', 'line two', 'line three']);
    writeFileSync(file, 'changed');
    expect(await lines.lines(file), 'kept').to.deep.equal(['line one', 'line two', 'line three']);
    writeFileSync(path.join(root, 'lib', 'b.ts'), 'b');
    await lines.lines(path.join(root, 'lib', 'b.ts'));
    expect(await lines.lines(file), 'evicted, read again').to.deep.equal(['changed']);
  });
});
