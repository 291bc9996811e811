// Writes, for each entry of the package (koa-tripwire and koa-tripwire/advanced), an
// ES-module face over the one CommonJS build: dist/lib/<entry>.mjs with real named exports
// (no second copy of the code, no dual-package hazard), and dist/lib/<entry>.d.mts, its
// types as an ES module sees them (the CommonJS .d.ts would be read as CJS from `import`:
// "masquerading as CJS").
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
for (const entry of ['index', 'advanced']) {
  const names = Object.keys(require(`../dist/lib/${entry}.js`)).filter((n) => n !== 'default' && n !== '__esModule');
  const esm = [
    `import cjs from './${entry}.js';`,
    `export const { ${names.join(', ')} } = cjs;`,
    'export default cjs;',
    '',
  ].join('\n');
  const types = [
    `import * as cjs from './${entry}.js';`,
    `export * from './${entry}.js';`,
    'export default cjs;',
    '',
  ].join('\n');
  writeFileSync(new URL(`../dist/lib/${entry}.mjs`, import.meta.url), esm);
  writeFileSync(new URL(`../dist/lib/${entry}.d.mts`, import.meta.url), types);
}
