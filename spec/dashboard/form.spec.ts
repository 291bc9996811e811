import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import bodyParser from 'koa-bodyparser';
import request from 'supertest';
import { field, FormError, readForm, type Form } from '../../lib/dashboard/form';

const FORM_TYPE = 'application/x-www-form-urlencoded';
const LIMIT = 64 * 1024;

/** An app answering with the form it read ({ name: [values] }), or with the FormError's status and message. */
function formApp(...before: Koa.Middleware[]): Koa {
  const app = new Koa();
  for (const middleware of before) app.use(middleware);
  app.use(async (ctx) => {
    try {
      ctx.body = Object.fromEntries(await readForm(ctx));
    } catch (err) {
      if (!(err instanceof FormError)) throw err;
      ctx.status = err.status;
      ctx.body = err.message;
    }
  });
  return app;
}

const post = (app: Koa, type: string, body: string | object) => request(app.callback()).post('/').type(type).send(body);

/** A form body of exactly `bytes` bytes. */
const formOfBytes = (bytes: number) => `pad=${'x'.repeat(bytes - 4)}`;

describe('dashboard form', () => {
  it('reads a urlencoded body as browsers send it: every value of a repeated field in order, + and %-escapes decoded', async () => {
    const response = await post(formApp(), `${FORM_TYPE}; charset=UTF-8`, 'issue=error%3Aa&issue=error%3Ab&note=caf%C3%A9+au+lait&empty=');

    expect(response.status).to.equal(200);
    expect(response.body).to.deep.equal({ issue: ['error:a', 'error:b'], note: ['café au lait'], empty: [''] });
  });

  it('field() gives the single value of a field, and nothing for an absent or repeated one (a duplicated token is no token)', () => {
    const form: Form = new Map([['_csrf', ['t1', 't2']], ['status', ['resolved']], ['none', []]]);

    expect(field(form, 'status')).to.equal('resolved');
    expect(field(form, '_csrf')).to.equal(undefined);
    expect(field(form, 'none')).to.equal(undefined);
    expect(field(form, 'absent')).to.equal(undefined);
  });

  it('reads the form a body parser already read, keeping only string values', async () => {
    const app = formApp(bodyParser());

    const form = await post(app, FORM_TYPE, 'issue=error%3Aa&issue=error%3Ab&status=resolved');
    expect(form.body).to.deep.equal({ issue: ['error:a', 'error:b'], status: ['resolved'] });
    const json = await post(app, 'application/json', { issue: ['error:a', 5, { kind: 'error' }], status: 'resolved', count: 3, nested: { a: 'b' } });
    expect(json.body).to.deep.equal({ issue: ['error:a'], status: ['resolved'], count: [], nested: [] });
  });

  it('refuses a body that is not a urlencoded form with 415', async () => {
    for (const [type, body] of [['application/json', '{"status":"resolved"}'], ['text/plain', 'status=resolved'], ['multipart/form-data; boundary=x', '--x--']]) {
      const response = await post(formApp(), type, body);
      expect(response.status, type).to.equal(415);
      expect(response.text).to.equal('expected a form (application/x-www-form-urlencoded)');
    }
  });

  it('reads a form of up to 64 KiB, and refuses a declared length over it with 413', async () => {
    const fits = await post(formApp(), FORM_TYPE, formOfBytes(LIMIT));
    expect(fits.status).to.equal(200);
    expect(fits.body.pad[0]).to.have.length(LIMIT - 4);

    const over = await post(formApp(), FORM_TYPE, formOfBytes(LIMIT + 1));
    expect(over.status).to.equal(413);
    expect(over.text).to.equal('form too large');
  });

  describe('a body sent in chunks, without a declared length', () => {
    let server: http.Server;
    let port: number;
    beforeEach(async () => {
      server = http.createServer(formApp().callback());
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterEach(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    /** Starts a chunked POST and writes `chunks`; resolves with the answer, `end`ing the request only if asked. */
    function chunkedPost(chunks: string[], end: boolean): Promise<{ status: number; text: string; req: http.ClientRequest }> {
      return new Promise((resolve, reject) => {
        const req = http.request({ port, host: '127.0.0.1', method: 'POST', path: '/', headers: { 'Content-Type': FORM_TYPE, 'Transfer-Encoding': 'chunked' } }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => { text += chunk; });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text, req }));
        });
        req.on('error', reject);
        for (const chunk of chunks) req.write(chunk);
        if (end) req.end();
      });
    }

    it('reads it whole once it ends', async () => {
      const { status, text } = await chunkedPost(['issue=error%3A', 'a&status=res', 'olved'], true);
      expect(status).to.equal(200);
      expect(JSON.parse(text)).to.deep.equal({ issue: ['error:a'], status: ['resolved'] });
    });

    it('refuses it with 413 as soon as it passes 64 KiB, without waiting for the rest', async () => {
      const chunk = 'x'.repeat(8 * 1024);
      // Never ended: the answer can only come from the reader stopping at the limit.
      const { status, text, req } = await chunkedPost(['pad=', ...Array.from({ length: 9 }, () => chunk)], false);
      req.destroy();
      expect(status).to.equal(413);
      expect(text).to.equal('form too large');
    });
  });
});
