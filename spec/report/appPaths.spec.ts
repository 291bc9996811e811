import { expect } from 'chai';
import path from 'node:path';
import { appRoot, displayPath, isInApp, isInside, isOwnFile } from '../../lib/report/appPaths';

describe('appPaths', () => {
  const root = process.cwd();

  it('the root is the working directory', () => {
    expect(appRoot()).to.equal(root);
  });

  it('shows files inside the root relative to it, with forward slashes; names like node:fs unchanged', () => {
    expect(displayPath(path.join(root, 'lib', 'routes', 'items.ts'))).to.equal('lib/routes/items.ts');
    expect(displayPath(root)).to.equal('.');
    expect(displayPath('node:fs')).to.equal('node:fs');
    expect(displayPath(null)).to.equal(null);
    expect(displayPath('C:\\srv\\app\\lib\\a.js', 'C:\\srv\\app')).to.equal('lib/a.js');
  });

  it('shows files outside the root without the machine-specific part where it is known', () => {
    expect(displayPath('/opt/deps/node_modules/koa/lib/application.js', '/srv/app')).to.equal('node_modules/koa/lib/application.js');
    expect(displayPath(path.join(__dirname, '../../lib/report/appPaths.ts'), '/srv/app')).to.equal('koa-tripwire/lib/report/appPaths.ts');
    expect(displayPath('/srv/shared/x.js', '/srv/app')).to.equal('../shared/x.js');
  });

  it('counts as the app only files inside the root, outside node_modules, not its own', () => {
    expect(isInApp('/srv/app/lib/a.js', '/srv/app')).to.equal(true);
    expect(isInApp('/srv/app/node_modules/x/a.js', '/srv/app')).to.equal(false);
    expect(isInApp('C:\\app\\node_modules\\x\\a.js', 'C:\\app')).to.equal(false);
    expect(isInApp('/srv/other/a.js', '/srv/app')).to.equal(false);
    expect(isInApp('node:internal/timers', '/srv/app')).to.equal(false);
    expect(isInApp(null, '/srv/app')).to.equal(false);
    expect(isInApp(path.join(__dirname, '../../lib/report/appPaths.ts'), path.join(__dirname, '../..'))).to.equal(false);
    expect(isOwnFile(path.join(__dirname, '../../dist/lib/report/appPaths.js'))).to.equal(true);
    expect(isOwnFile(path.join(__dirname, 'appPaths.spec.ts'))).to.equal(false);
  });

  it('tells inside from outside by path segments, not by prefix', () => {
    expect(isInside('/srv/app', '/srv/app-2/a.js')).to.equal(false);
    expect(isInside('/srv/app', '/srv/app/a.js')).to.equal(true);
    expect(isInside('/srv/app', 'C:\\srv\\app\\a.js')).to.equal(false);
  });
});
