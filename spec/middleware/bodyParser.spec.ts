import { expect } from 'chai';
import Koa from 'koa';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { bodyParser } from '../../lib/middleware/bodyParser';

function app(options?: Parameters<typeof bodyParser>[0]) {
  const koa = new Koa();
  koa.silent = true;
  koa.use(bodyParser(options));
  koa.use((ctx) => { ctx.body = { body: ctx.request.body ?? null }; });
  return koa.callback();
}

describe('bodyParser', () => {
  it('parses JSON and forms', async () => {
    expect((await request(app()).post('/').send({ a: [1] }).expect(200)).body).to.deep.equal({ body: { a: [1] } });
    expect((await request(app()).post('/').type('form').send('a=1&b=2').expect(200)).body).to.deep.equal({ body: { a: '1', b: '2' } });
  });

  it('answers malformed JSON with 400 and a body over the limit with 413', async () => {
    await request(app()).post('/').set('Content-Type', 'application/json').send('{"a":').expect(400);
    await request(app({ jsonLimit: '20b' })).post('/').send({ text: 'x'.repeat(100) }).expect(413);
  });

  it('refuses a body of a type nobody parses with 415, instead of silently giving {}', async () => {
    const res = await request(app()).post('/').set('Content-Type', 'text/xml').send('<a/>').expect(415);
    expect(res.text).to.equal('Unsupported Media Type: text/xml');
  });

  it('lets requests without a body through, whatever their type', async () => {
    await request(app()).post('/').set('Content-Type', 'text/xml').expect(200);
    await request(app()).get('/').expect(200);
  });

  it('passes multipart bodies to the route and parses text when enabled', async () => {
    await request(app()).post('/').field('name', 'value').expect(200);
    const text = await request(app({ enableTypes: ['json', 'text'] })).post('/').set('Content-Type', 'text/plain').send('hello').expect(200);
    expect(text.body).to.deep.equal({ body: 'hello' });
  });

  it('refuses unknown enableTypes', () => {
    expect(() => bodyParser({ enableTypes: ['xml' as 'json'] })).to.throw(TypeError, /enableTypes/);
  });
});

// Issue 21, item 10: a strict TypeScript app reads ctx.request.body with only @types/koa,
// through the declarations the package ships (module augmentation of koa's Request), not
// @types/koa-bodyparser. The package's declarations are built from lib/ by the real tsc,
// then a small app is compiled against them in a folder with no @types/koa-bodyparser.
describe('bodyParser: ctx.request.body typed for apps', function () {
  this.timeout(240_000);
  const root = path.join(__dirname, '../..');
  const tsc = (project: string) => spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', project], { encoding: 'utf8' });
  const strict = { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'ES2022', esModuleInterop: true, types: ['node'] };
  let work: string;

  before(() => {
    work = mkdtempSync(path.join(os.tmpdir(), 'tripwire-types-'));
    const pkg = path.join(work, 'pkg');
    mkdirSync(pkg);
    writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'koa-tripwire', types: './dist/lib/index.d.ts' }));
    symlinkSync(path.join(root, 'node_modules'), path.join(pkg, 'node_modules'));
    writeFileSync(path.join(work, 'build.json'), JSON.stringify({
      compilerOptions: { ...strict, typeRoots: [path.join(root, 'node_modules/@types')], skipLibCheck: true, declaration: true, emitDeclarationOnly: true, rootDir: root, outDir: path.join(pkg, 'dist') },
      files: [path.join(root, 'lib/index.ts')],
    }));
    const built = tsc(path.join(work, 'build.json'));
    expect(built.status, built.stdout + built.stderr).to.equal(0);

    const app = path.join(work, 'app');
    mkdirSync(path.join(app, 'node_modules/@types'), { recursive: true });
    writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', type: 'commonjs' }));
    symlinkSync(pkg, path.join(app, 'node_modules/koa-tripwire'));
    symlinkSync(path.join(root, 'node_modules/koa'), path.join(app, 'node_modules/koa'));
    for (const types of ['koa', 'node']) symlinkSync(path.join(root, 'node_modules/@types', types), path.join(app, 'node_modules/@types', types));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  function compileApp(source: string): { status: number | null; output: string } {
    const app = path.join(work, 'app');
    writeFileSync(path.join(app, 'app.ts'), source);
    writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...strict, noEmit: true }, files: ['app.ts'] }));
    const result = tsc(path.join(app, 'tsconfig.json'));
    return { status: result.status, output: result.stdout + result.stderr };
  }

  const route = [
    "import Koa from 'koa';",
    'const app = new Koa();',
    'app.use((ctx) => {',
    '  const body = ctx.request.body;',
    "  ctx.body = body && typeof body === 'object' && 'title' in body ? { title: String(body.title) } : { received: body ?? null };",
    '});',
  ];

  it('compiles an app reading ctx.request.body under --strict with only @types/koa and the package', () => {
    const { status, output } = compileApp(["import { bodyParser, stack } from 'koa-tripwire';", ...route, 'app.use(stack()).use(bodyParser());'].join('\n'));
    expect(output).to.equal('');
    expect(status).to.equal(0);
    expect(existsSync(path.join(work, 'app/node_modules/@types/koa-bodyparser'))).to.equal(false);
  });

  it('the type comes from the package: the same app without it does not compile', () => {
    const { status, output } = compileApp(route.join('\n'));
    expect(status).to.not.equal(0);
    expect(output).to.include("Property 'body' does not exist on type 'Request'");
  });
});
