import Router from '@koa/router';
import { expect } from 'chai';
import Koa, { type Context, type Middleware } from 'koa';
import request from 'supertest';
import { mountCheck } from '../../lib/middleware/mountCheck';

function recorder() {
  const warnings: string[] = [];
  return { warnings, logger: { info() {}, warn: (m: string) => { warnings.push(m); }, error() {} } };
}

/** A middleware running the check, as stack() does, mounted where the spec says. */
function checked(logger: ReturnType<typeof recorder>['logger']): Middleware {
  const check = mountCheck(logger);
  const self: Middleware = (ctx: Context, next) => {
    check(ctx, self);
    return next();
  };
  return self;
}

describe('mountCheck', () => {
  it('warns once, naming the fix, when a router is mounted before it', async () => {
    const { warnings, logger } = recorder();
    const app = new Koa();
    const router = new Router();
    router.get('/a', (ctx) => { ctx.body = 'a'; });
    app.use(router.routes());
    app.use(checked(logger));
    await request(app.callback()).get('/missing').expect(404);
    await request(app.callback()).get('/missing').expect(404);
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.match(/after a router \(app\.middleware\[0\]\).*app\.use\(stack\(\)\) before app\.use\(router\.routes\(\)\)/);
  });

  it('warns when a middleware before it already set a status', async () => {
    const { warnings, logger } = recorder();
    const app = new Koa();
    app.use((ctx, next) => { ctx.status = 204; return next(); });
    app.use(checked(logger));
    await request(app.callback()).get('/').expect(204);
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.include('already answered');
  });

  it('is quiet when it comes first, even with a router after it', async () => {
    const { warnings, logger } = recorder();
    const app = new Koa();
    app.use(checked(logger));
    const router = new Router();
    router.get('/a', (ctx) => { ctx.body = 'a'; });
    app.use(router.routes());
    await request(app.callback()).get('/a').expect(200);
    expect(warnings).to.deep.equal([]);
  });
});
