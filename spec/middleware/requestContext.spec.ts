import { expect } from 'chai';
import Koa from 'koa';
import request from 'supertest';
import { requestContext } from '../../lib/middleware/requestContext';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function app(options?: Parameters<typeof requestContext>[0], handler: Koa.Middleware = (ctx) => { ctx.body = { id: ctx.state.requestId }; }) {
  const koa = new Koa();
  koa.silent = true;
  koa.use(requestContext(options));
  koa.use(handler);
  return koa.callback();
}

describe('requestContext', () => {
  it('generates an id, puts it on ctx.state and echoes it', async () => {
    const res = await request(app()).get('/').expect(200);
    expect(res.headers['x-request-id']).to.match(UUID);
    expect(res.body.id).to.equal(res.headers['x-request-id']);
  });

  it('honours a sane incoming id', async () => {
    const res = await request(app()).get('/').set('X-Request-Id', 'lb-7f3a.42:abc').expect(200);
    expect(res.headers['x-request-id']).to.equal('lb-7f3a.42:abc');
  });

  it('replaces an id that is too long or carries markup or spaces', async () => {
    for (const bad of ['x'.repeat(129), '<script>', 'a b', 'a"b']) {
      const res = await request(app()).get('/').set('X-Request-Id', bad).expect(200);
      expect(res.headers['x-request-id'], bad).to.match(UUID);
    }
  });

  it('ignores incoming ids when trustIncoming is false, and uses the configured header and generator', async () => {
    let n = 0;
    const res = await request(app({ header: 'X-Trace-Id', trustIncoming: false, generate: () => `trace-${++n}` }))
      .get('/').set('X-Trace-Id', 'client-chosen').expect(200);
    expect(res.headers['x-trace-id']).to.equal('trace-1');
  });

  it("keeps the header on Koa's own error responses, which clear the others", async () => {
    const res = await request(app({}, () => { throw new Error('boom'); })).get('/').expect(500);
    expect(res.headers['x-request-id']).to.match(UUID);
  });

  it('refuses a bad header name or generator', () => {
    expect(() => requestContext({ header: 'X Request' })).to.throw(TypeError, /header/);
    expect(() => requestContext({ generate: 'uuid' as unknown as () => string })).to.throw(TypeError, /generate/);
  });
});
