import { expect } from 'chai';
import Koa from 'koa';
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
