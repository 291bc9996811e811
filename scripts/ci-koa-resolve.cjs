// Loaded with `mocha --require` by scripts/ci-koa2.sh: every require('koa') (and 'koa/…')
// resolves into TRIPWIRE_KOA_PREFIX/node_modules instead of the checkout's node_modules,
// so the same specs run against another Koa without touching the checkout's install.
const Module = require('node:module');
const path = require('node:path');

const prefix = process.env.TRIPWIRE_KOA_PREFIX;
if (!prefix) throw new Error('ci-koa-resolve: TRIPWIRE_KOA_PREFIX is not set');
const paths = [path.join(prefix, 'node_modules')];
const resolve = Module._resolveFilename;

Module._resolveFilename = function (request, parent, isMain, options) {
  if (request === 'koa' || request.startsWith('koa/')) return resolve.call(this, request, parent, isMain, { ...options, paths });
  return resolve.call(this, request, parent, isMain, options);
};

const { version } = require('koa/package.json');
const wanted = process.env.TRIPWIRE_KOA_MAJOR;
if (wanted && version.split('.')[0] !== wanted) throw new Error(`ci-koa-resolve: koa ${version} resolved, wanted ${wanted}.x`);
console.log(`  (koa ${version} from ${paths[0]})`);
