import { expect } from 'chai';
import Koa, { type Middleware } from 'koa';
import request from 'supertest';
import { composeParts, partMiddleware, type Part } from '../../lib/middleware/parts';

/** A part that writes what it does to `log`; `answers`: its fail says it answered the request. */
function recorder(name: string, log: string[], extra: Partial<Part> & { answers?: boolean } = {}): Part {
  const { answers = false, ...overrides } = extra;
  return {
    enter: () => { log.push(`${name}.enter`); },
    leave: () => { log.push(`${name}.leave`); },
    fail: (ctx, err) => {
      log.push(`${name}.fail:${(err as Error).message}`);
      if (!answers) return false;
      ctx.status = 418;
      ctx.body = `answered by ${name}`;
      return true;
    },
    ...overrides,
  };
}

function app(middleware: Middleware, route: Middleware): Koa {
  const koa = new Koa();
  koa.silent = true;
  koa.use(middleware);
  koa.use(route);
  return koa;
}

const ok: Middleware = (ctx) => { ctx.body = 'ok'; };
const boom: Middleware = () => { throw new Error('boom'); };

/** The same parts nested the way koa-compose nests middlewares, and composed in one frame: both logs must match. */
async function both(make: (log: string[]) => Part[], route: Middleware): Promise<{ nested: string[]; fused: string[]; status: number[] }> {
  const nestedLog: string[] = [];
  const fusedLog: string[] = [];
  const nestedApp = new Koa();
  nestedApp.silent = true;
  for (const [i, part] of make(nestedLog).entries()) nestedApp.use(partMiddleware(`part${i}`, part));
  nestedApp.use(route);
  const fusedApp = app(composeParts(make(fusedLog).map((p, i) => partMiddleware(`part${i}`, p))), route);
  const a = await request(nestedApp.callback()).get('/');
  const b = await request(fusedApp.callback()).get('/');
  return { nested: nestedLog, fused: fusedLog, status: [a.status, b.status] };
}

describe('parts', () => {
  it('enters outermost first and leaves innermost first, as nested middlewares do', async () => {
    const { nested, fused, status } = await both((log) => [recorder('a', log), recorder('b', log), recorder('c', log)], ok);
    expect(fused).to.deep.equal(['a.enter', 'b.enter', 'c.enter', 'c.leave', 'b.leave', 'a.leave']);
    expect(nested).to.deep.equal(fused);
    expect(status).to.deep.equal([200, 200]);
  });

  it('hands a throw to each fail from the inside out until one answers, then leaves the parts outside it', async () => {
    const { nested, fused, status } = await both((log) => [recorder('a', log), recorder('b', log, { answers: true }), recorder('c', log)], boom);
    expect(fused).to.deep.equal(['a.enter', 'b.enter', 'c.enter', 'c.fail:boom', 'b.fail:boom', 'a.leave']);
    expect(nested).to.deep.equal(fused);
    expect(status).to.deep.equal([418, 418]);
  });

  it('rethrows what nobody answers, and a fail that throws replaces the error for the parts outside it', async () => {
    const replacing = (log: string[]) => [
      recorder('a', log),
      recorder('b', log, { fail: (_ctx, err) => { log.push(`b.fail:${(err as Error).message}`); throw new Error('replaced'); } }),
      recorder('c', log),
    ];
    const { nested, fused, status } = await both(replacing, boom);
    expect(fused).to.deep.equal(['a.enter', 'b.enter', 'c.enter', 'c.fail:boom', 'b.fail:boom', 'a.fail:replaced']);
    expect(nested).to.deep.equal(fused);
    expect(status).to.deep.equal([500, 500]);
  });

  it('hands a throw in a leave or an enter to the parts outside it only', async () => {
    const throwing = (log: string[]) => [
      recorder('a', log, { answers: true }),
      recorder('b', log, { leave: () => { log.push('b.leave'); throw new Error('in leave'); } }),
      recorder('c', log),
    ];
    const a = await both(throwing, ok);
    expect(a.fused).to.deep.equal(['a.enter', 'b.enter', 'c.enter', 'c.leave', 'b.leave', 'a.fail:in leave']);
    expect(a.nested).to.deep.equal(a.fused);

    const entering = (log: string[]) => [
      recorder('a', log, { answers: true }),
      recorder('b', log, { enter: () => { log.push('b.enter'); throw new Error('in enter'); } }),
      recorder('c', log),
    ];
    const b = await both(entering, ok);
    expect(b.fused).to.deep.equal(['a.enter', 'b.enter', 'a.fail:in enter']);
    expect(b.nested).to.deep.equal(b.fused);
    expect(b.status).to.deep.equal([418, 418]);
  });

  it('unwinds from the part that threw when some parts have no enter, leave or fail', async () => {
    // The happy path runs only the parts that have each hook; a throw must still reach exactly the parts outside the thrower.
    const sparse = (thrower: Partial<Part>) => (log: string[]) => [
      recorder('a', log, { answers: true }),
      { fail: (_ctx: unknown, err: unknown) => { log.push(`b.fail:${(err as Error).message}`); return false; } } as Part,
      { leave: () => { log.push('c.leave'); } } as Part,
      { ...thrower } as Part,
      { enter: () => { log.push('e.enter'); } } as Part,
    ];
    const leaving = await both(sparse({ leave: () => { throw new Error('d leave'); } }), ok);
    expect(leaving.fused).to.deep.equal(['a.enter', 'e.enter', 'b.fail:d leave', 'a.fail:d leave']);
    expect(leaving.nested).to.deep.equal(leaving.fused);
    const entering = await both(sparse({ enter: () => { throw new Error('d enter'); } }), ok);
    expect(entering.fused).to.deep.equal(['a.enter', 'b.fail:d enter', 'a.fail:d enter']);
    expect(entering.nested).to.deep.equal(entering.fused);
    expect(entering.status).to.deep.equal([418, 418]);
  });

  it('lets the innermost part run the routes itself (the body parser)', async () => {
    const log: string[] = [];
    const inner: Part = { run: async (ctx, next) => { log.push('run'); await next(); ctx.set('X-Ran', 'yes'); } };
    const res = await request(app(composeParts([partMiddleware('a', recorder('a', log)), partMiddleware('inner', inner)]), ok).callback()).get('/');
    expect(res.headers['x-ran']).to.equal('yes');
    expect(log).to.deep.equal(['a.enter', 'run', 'a.leave']);
  });

  it('falls back to koa-compose when a middleware is not made of a part', async () => {
    const log: string[] = [];
    const plain: Middleware = async (_ctx, next) => { log.push('plain.before'); await next(); log.push('plain.after'); };
    const res = await request(app(composeParts([partMiddleware('a', recorder('a', log)), plain]), ok).callback()).get('/');
    expect(res.status).to.equal(200);
    expect(log).to.deep.equal(['a.enter', 'plain.before', 'plain.after', 'a.leave']);
  });

  it('names the middleware it builds, as Koa debug output shows it', () => {
    expect(partMiddleware('requestContext', {}).name).to.equal('requestContext');
  });
});
