import { expect } from 'chai';
import Koa, { type Context } from 'koa';
import request from 'supertest';
import { watchingMiddleware, watchOutcomes, type OutcomeWatcher } from '../../lib/middleware/outcomeWatch';

/** A watcher that writes down what it saw, under its name, into a shared log. */
function recording(name: string, log: string[]): OutcomeWatcher {
  return {
    thrown: (err, ctx) => { log.push(`${name} thrown ${(err as Error).message} ${ctx.path}`); },
    answered: (ctx) => { log.push(`${name} answered ${ctx.status} ${ctx.path}`); },
  };
}

function appWith(middleware: Koa.Middleware): Koa {
  const app = new Koa();
  app.silent = true;
  app.use(middleware);
  app.use((ctx: Context) => {
    if (ctx.path === '/boom') throw new Error('boom');
    ctx.body = { ok: true };
  });
  return app;
}

describe('outcomeWatch', () => {
  it('watchingMiddleware: an ordinary middleware telling its watcher the answer or the throw, which it rethrows', async () => {
    const log: string[] = [];
    const middleware = watchingMiddleware('errorReporter', recording('w', log));
    expect(middleware.name).to.equal('errorReporter');
    const app = appWith(middleware);
    await request(app.callback()).get('/fine').expect(200);
    await request(app.callback()).get('/boom').expect(500);
    expect(log).to.deep.equal(['w answered 200 /fine', 'w thrown boom /boom']);
  });

  it('watchOutcomes: one frame, its watchers told in the order their middleware composed outermost-last would be', async () => {
    const composed: string[] = [];
    const merged: string[] = [];
    const inner = (log: string[]) => watchingMiddleware('inner', recording('inner', log));
    const outer = (log: string[]) => watchingMiddleware('outer', recording('outer', log));
    // The same two watchers, as two composed middleware and as one frame.
    const twoFrames = new Koa();
    twoFrames.silent = true;
    twoFrames.use(outer(composed));
    twoFrames.use(inner(composed));
    twoFrames.use((ctx) => {
      if (ctx.path === '/boom') throw new Error('boom');
      ctx.body = { ok: true };
    });
    const oneFrame = appWith(watchOutcomes([inner(merged), outer(merged)]));
    for (const app of [twoFrames, oneFrame]) {
      await request(app.callback()).get('/fine').expect(200);
      await request(app.callback()).get('/boom').expect(500);
    }
    expect(merged).to.deep.equal(composed);
    expect(merged).to.deep.equal(['inner answered 200 /fine', 'outer answered 200 /fine', 'inner thrown boom /boom', 'outer thrown boom /boom']);
  });

  it('watchOutcomes refuses a middleware that is not a reporter, naming what it takes', () => {
    expect(() => watchOutcomes([async (_ctx, next) => { await next(); }])).to.throw(TypeError, /errorReporter\(\) or brokenLinkReporter\(\)/);
  });
});
