import { expect } from 'chai';
import Router from '@koa/router';
import Koa, { type Context } from 'koa';
import bodyParser from 'koa-bodyparser';
import request from 'supertest';
import type { RequestInfo } from '../../lib/report/Report';
import { reportOptions, type ReportOptionsInput } from '../../lib/report/reportOptions';
import { requestInfo } from '../../lib/report/requestInfo';

async function infoFor(
  send: (agent: request.Agent) => request.Test,
  setup: { proxy?: boolean; options?: ReportOptionsInput; prepare?: (ctx: Context) => Context | void } = {},
): Promise<RequestInfo> {
  const app = new Koa({ proxy: setup.proxy ?? false });
  const options = reportOptions(setup.options);
  app.use(bodyParser({ enableTypes: ['json', 'form', 'text'] }));
  app.use((ctx) => {
    const described = setup.prepare?.(ctx) || ctx;
    ctx.body = requestInfo(described, options);
  });
  const server = app.listen(0, '127.0.0.1');
  try {
    return (await send(request.agent(server)).expect(200)).body as RequestInfo;
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('requestInfo', () => {
  it('describes the request', async () => {
    const info = await infoFor(
      (agent) => agent.post('/api/notes/42?draft=1&tag=a&tag=b').set('User-Agent', 'spec-agent').set('Referer', 'https://example.com/list').send({ title: 'hello' }),
      { prepare: (ctx) => void (ctx.state.requestId = 'req-1') },
    );
    expect(info).to.deep.include({
      method: 'POST',
      url: '/api/notes/42?draft=1&tag=a&tag=b',
      path: '/api/notes/42',
      query: { draft: '1', tag: ['a', 'b'] },
      body: { title: 'hello' },
      ip: '127.0.0.1',
      userAgent: 'spec-agent',
      referer: 'https://example.com/list',
      requestId: 'req-1',
    });
    expect(info.headers).to.include({ 'user-agent': 'spec-agent', 'content-type': 'application/json' });
  });

  it('reports missing optional values as null', async () => {
    const info = await infoFor((agent) => agent.get('/').unset('User-Agent'));
    expect(info).to.include({ userAgent: null, referer: null, requestId: null });
  });

  it("takes the ip from Koa: X-Forwarded-For only counts when app.proxy is on", async () => {
    const direct = await infoFor((agent) => agent.get('/').set('X-Forwarded-For', '203.0.113.9'));
    expect(direct.ip).to.equal('127.0.0.1');
    const proxied = await infoFor((agent) => agent.get('/').set('X-Forwarded-For', '203.0.113.9'), { proxy: true });
    expect(proxied.ip).to.equal('203.0.113.9');
  });

  it('keeps the original url when a router rewrote ctx.url', async () => {
    const info = await infoFor((agent) => agent.get('/mounted/inner?x=1'), { prepare: (ctx) => void (ctx.url = '/inner?x=1') });
    expect(info.url).to.equal('/mounted/inner?x=1');
    expect(info.path).to.equal('/inner');
  });

  it('copies bodies through the limits', async () => {
    const info = await infoFor((agent) => agent.post('/').send({ deep: { a: { b: 1 } }, long: 'x'.repeat(50) }), {
      options: { limits: { maxDepth: 2, maxStringLength: 5 } },
    });
    expect(info.body).to.deep.equal({ deep: { a: '[Object]' }, long: 'xxxxx…[truncated]' });
  });

  it('survives malformed percent-encoding', async () => {
    const info = await infoFor((agent) => agent.get('/bad%E0%A4%A?q=%E0%A4%A&ok=1'));
    expect(info.url).to.equal('/bad%E0%A4%A?q=%E0%A4%A&ok=1');
    expect(info.query).to.have.property('ok', '1');
  });

  it('never throws, whatever the context getters do', async () => {
    const info = await infoFor((agent) => agent.get('/x'), {
      // A derived context, so Koa can still answer with the real one.
      prepare: (ctx) => {
        const hostile = Object.create(ctx) as Context;
        hostile.state = { requestId: { not: 'a string' } };
        for (const key of ['path', 'query', 'ip', 'method', 'headers']) {
          Object.defineProperty(hostile, key, {
            get() {
              throw new URIError(`bad ${key}`);
            },
          });
        }
        return hostile;
      },
    });
    expect(info).to.deep.include({
      path: '[Unreadable: bad path]',
      ip: '[Unreadable: bad ip]',
      method: '[Unreadable: bad method]',
      query: {},
      headers: {},
      requestId: null,
    });
  });

  it("sets route from the @koa/router route that matched, reading ctx._matchedRoute without writing it", async () => {
    const app = new Koa();
    const router = new Router();
    const options = reportOptions();
    const seen: Array<RequestInfo['route']> = [];
    router.get('/users/:id', (ctx) => {
      const before = Object.getOwnPropertyDescriptor(ctx, '_matchedRoute');
      seen.push(requestInfo(ctx, options).route);
      expect(Object.getOwnPropertyDescriptor(ctx, '_matchedRoute')).to.deep.equal(before);
      ctx.body = 'ok';
    });
    app.use(router.routes());
    app.use((ctx) => {
      seen.push(requestInfo(ctx, options).route);
      ctx.body = 'unmatched';
    });
    const server = app.listen(0, '127.0.0.1');
    try {
      await request(server).get('/users/42').expect(200);
      await request(server).get('/elsewhere').expect(200);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(seen).to.deep.equal(['/users/:id', null]);
  });
});
