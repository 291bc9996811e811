import { expect } from 'chai';
import Router from '@koa/router';
import Koa from 'koa';
import bodyParser from 'koa-bodyparser';
import request from 'supertest';
import type { Report } from '../../lib/report/Report';
import { buildErrorReport } from '../../lib/report/buildErrorReport';
import { reportOptions } from '../../lib/report/reportOptions';
import { sensitivePostParameters } from '../../lib/middleware/sensitivePostParameters';
import { SENSITIVE_POST_PARAMETERS, sensitivePostParametersOf } from '../../lib/report/scrub/sensitivePostParameterMarks';

const SUB = '********************';

async function bodyReported(marks: Koa.Middleware[], body: object): Promise<Report['request']> {
  const options = reportOptions();
  const app = new Koa();
  const router = new Router();
  router.post('/checkout', ...marks, () => {
    throw new Error('payment failed');
  });
  app.use(bodyParser());
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      ctx.body = buildErrorReport(err, ctx, options);
    }
  });
  app.use(router.routes());
  const server = app.listen(0, '127.0.0.1');
  try {
    const response = await request(server).post('/checkout').send(body).expect(200);
    return (response.body as Report).request;
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('sensitivePostParameters', () => {
  it('hides the named parameters, top-level and nested', async () => {
    const requestInfo = await bodyReported([sensitivePostParameters('card', 'cvv')], {
      card: '4111111111111111',
      cvv: '123',
      billing: { card: '4000000000000002', name: 'Ada' },
      amount: 10,
    });
    expect(requestInfo!.body).to.deep.equal({ card: SUB, cvv: SUB, billing: { card: SUB, name: 'Ada' }, amount: 10 });
  });

  it("hides every value and keeps the keys when no name is given (Django's behaviour)", async () => {
    const requestInfo = await bodyReported([sensitivePostParameters()], {
      card: '4111111111111111',
      note: 'hi',
      count: 3,
      flags: [true, 'x'],
      billing: { name: 'Ada', zip: null },
    });
    expect(requestInfo!.body).to.deep.equal({ card: SUB, note: SUB, count: SUB, flags: [SUB, SUB], billing: { name: SUB, zip: null } });
  });

  it('leaves the body to the default rules on routes without it', async () => {
    const requestInfo = await bodyReported([], { card: '4111', password: 'p' });
    expect(requestInfo!.body).to.deep.equal({ card: '4111', password: SUB });
  });

  it('adds to earlier marks and never narrows "all"', async () => {
    const both = await bodyReported([sensitivePostParameters('card'), sensitivePostParameters('cvv')], { card: '1', cvv: '2', n: 3 });
    expect(both!.body).to.deep.equal({ card: SUB, cvv: SUB, n: 3 });
    const all = await bodyReported([sensitivePostParameters(), sensitivePostParameters('cvv')], { card: '1', note: 'n' });
    expect(all!.body).to.deep.equal({ card: SUB, note: SUB });
  });

  it('marks ctx.state under the exported key', async () => {
    const ctx = { state: {} } as Koa.Context;
    await sensitivePostParameters('pin')(ctx, async () => {});
    expect(ctx.state[SENSITIVE_POST_PARAMETERS]).to.deep.equal(['pin']);
    expect(sensitivePostParametersOf(ctx)).to.deep.equal(['pin']);
    expect(sensitivePostParametersOf(undefined)).to.equal(null);
  });

  it('rejects names that are not non-empty strings, e.g. when used without calling it', () => {
    expect(() => sensitivePostParameters('')).to.throw(TypeError, /call it/);
    expect(() => (sensitivePostParameters as unknown as Koa.Middleware)({ state: {} } as Koa.Context, async () => {})).to.throw(TypeError);
  });
});
