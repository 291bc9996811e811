// Writes dist/lib/index.mjs so `import { stack } from 'koa-tripwire'` gets real
// named exports from the one CommonJS build (no second copy of the code, no dual-package
// hazard), and dist/lib/index.d.mts, its types as an ES module sees them (the CommonJS
// index.d.ts would be read as CJS from `import`: "masquerading as CJS").
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const names = Object.keys(require('../dist/lib/index.js')).filter((n) => n !== 'default' && n !== '__esModule');
const esm = [
  "import cjs from './index.js';",
  `export const { ${names.join(', ')} } = cjs;`,
  'export default cjs;',
  '',
].join('\n');
const types = [
  "import * as cjs from './index.js';",
  "export * from './index.js';",
  'export default cjs;',
  '',
].join('\n');
writeFileSync(new URL('../dist/lib/index.mjs', import.meta.url), esm);
writeFileSync(new URL('../dist/lib/index.d.mts', import.meta.url), types);
