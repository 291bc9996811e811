import { expect } from 'chai';
import Koa, { type Context } from 'koa';
import request from 'supertest';
import { watchingMiddleware, type OutcomeWatcher } from '../../lib/middleware/outcomeWatch';

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
});
