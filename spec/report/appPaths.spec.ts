import { expect } from 'chai';
import path from 'node:path';
import { appRelative, appRoot, relativeStack } from '../../lib/report/appPaths';

describe('appPaths', () => {
  const root = process.cwd();

  it('the root is the working directory', () => {
    expect(appRoot()).to.equal(root);
  });

  it('makes absolute files relative to the root with forward slashes; others unchanged', () => {
    expect(appRelative(path.join(root, 'lib', 'routes', 'items.ts'))).to.equal('lib/routes/items.ts');
    expect(appRelative(root)).to.equal('.');
    expect(appRelative('node:fs')).to.equal('node:fs');
    expect(appRelative(null)).to.equal(null);
    expect(appRelative(path.join(path.dirname(root), 'other', 'x.js'))).to.equal(`../other/x.js`);
  });

  it('cuts the root from every path of a stack, file:// URLs included', () => {
    const prefix = root + path.sep;
    const stack = [
      'Error: boom',
      `    at handler (${prefix}lib${path.sep}routes.ts:42:7)`,
      `    at load (file://${prefix}app.mjs:3:1)`,
      '    at node:internal/process:1:1',
    ].join('\n');
    const relative = relativeStack(stack);
    expect(relative).to.not.include(prefix);
    expect(relative).to.include(`at handler (lib${path.sep}routes.ts:42:7)`);
    expect(relative).to.include('at load (app.mjs:3:1)');
    expect(relative).to.include('node:internal/process:1:1');
    expect(relativeStack('Error: no paths')).to.equal('Error: no paths');
  });
});
