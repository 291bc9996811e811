import Router from '@koa/router';
import { expect } from 'chai';
import createError from 'http-errors';
import Koa from 'koa';
import { Readable } from 'node:stream';
import request from 'supertest';
import { formatResponse, rawResponse } from '../../lib/envelope/routeMarks';
import { bodyParser } from '../../lib/middleware/bodyParser';
import { responseFormatter, type ResponseFormatterOptions } from '../../lib/envelope/responseFormatter';

function appWith(router: Router, options?: ResponseFormatterOptions): Koa {
  const app = new Koa();
  app.silent = true;
  app.use(responseFormatter(options));
  app.use(bodyParser({ jsonLimit: '1kb' }));
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}

const ok = (body: unknown) => ({ success: true, result: body, message: null });
const fail = (message: unknown) => ({ success: false, result: null, message });

describe('responseFormatter', () => {
  describe('which requests it applies to', () => {
    const router = new Router();
    for (const path of ['/api', '/api/x', '/v1/api/x', '/apiary', '/v2/items', '/health']) {
      router.all(path, (ctx) => { ctx.body = { path }; });
    }
    const app = appWith(router);

    for (const path of ['/api', '/api/x', '/v1/api/x']) {
      it(`envelopes ${path} (the segment "api" anywhere)`, async () => {
        const res = await request(app.callback()).get(path).expect(200);
        expect(res.body).to.deep.equal(ok({ path }));
      });
    }

    it('leaves /apiary alone: the match is segment-exact', async () => {
      const res = await request(app.callback()).get('/apiary').expect(200);
      expect(res.body).to.deep.equal({ path: '/apiary' });
    });

    it('takes string prefixes (segment-bounded) and RegExps in `match`', async () => {
      const custom = appWith(router, { match: ['/v2', /^\/health$/] });
      expect((await request(custom.callback()).get('/v2/items')).body).to.deep.equal(ok({ path: '/v2/items' }));
      expect((await request(custom.callback()).get('/health')).body).to.deep.equal(ok({ path: '/health' }));
      expect((await request(custom.callback()).get('/api/x')).body).to.deep.equal({ path: '/api/x' });
    });

    it('applies to GET, POST, PUT, PATCH and DELETE, and the list is configurable', async () => {
      for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
        const res = await request(app.callback())[method]('/api/x');
        expect(res.body, method).to.deep.equal(ok({ path: '/api/x' }));
      }
      const getOnly = appWith(router, { methods: ['GET'] });
      expect((await request(getOnly.callback()).post('/api/x')).body).to.deep.equal({ path: '/api/x' });
    });

    it('refuses a misconfigured match or methods option with a clear error', () => {
      expect(() => responseFormatter({ match: ['api'] })).to.throw(TypeError, /match entries/);
      expect(() => responseFormatter({ methods: 'GET' as unknown as string[] })).to.throw(TypeError, /methods/);
      expect(() => responseFormatter({ upstreamErrors: 'pass' as 'propagate' })).to.throw(TypeError, /upstreamErrors must be 'report' or 'propagate', got "pass"/);
      expect(() => responseFormatter({ emitError: false } as ResponseFormatterOptions)).to.throw(TypeError, /unknown option `emitError`; did you mean `emitErrors`\? \(known: match, methods, emitErrors, upstreamErrors\)/);
    });
  });

  describe('successful responses', () => {
    const router = new Router();
    router.get('/api/object', (ctx) => { ctx.body = { id: 1, title: 'a' }; });
    router.get('/api/array', (ctx) => { ctx.body = [1, 2]; });
    router.get('/api/string', (ctx) => { ctx.body = 'hello'; });
    router.get('/api/number', (ctx) => { ctx.body = 42; });
    router.get('/api/boolean', (ctx) => { ctx.body = false; });
    router.get('/api/with-message', (ctx) => { ctx.body = { message: 'Created note', id: 7 }; });
    router.get('/api/array-message', (ctx) => { ctx.body = [{ message: 'stays' }]; });
    router.post('/api/created', (ctx) => { ctx.status = 201; });
    router.get('/api/empty-200', (ctx) => { ctx.status = 200; });
    router.delete('/api/no-content', (ctx) => { ctx.status = 204; });
    router.get('/api/not-modified', (ctx) => { ctx.status = 304; });
    const app = appWith(router);

    const cases: Array<[string, unknown]> = [
      ['/api/object', { id: 1, title: 'a' }],
      ['/api/array', [1, 2]],
      ['/api/string', 'hello'],
      ['/api/number', 42],
      ['/api/boolean', false],
      ['/api/array-message', [{ message: 'stays' }]],
    ];
    for (const [path, result] of cases) {
      it(`wraps ${path.slice(5)} bodies as { success: true, result, message: null }`, async () => {
        const res = await request(app.callback()).get(path).expect(200).expect('Content-Type', /application\/json/);
        expect(res.body).to.deep.equal(ok(result));
      });
    }

    it("moves a plain object's own `message` to the envelope", async () => {
      const res = await request(app.callback()).get('/api/with-message').expect(200);
      expect(res.body).to.deep.equal({ success: true, result: { id: 7 }, message: 'Created note' });
    });

    it('gives 2xx without a body an empty object result, keeping the status', async () => {
      expect((await request(app.callback()).post('/api/created').expect(201)).body).to.deep.equal(ok({}));
      expect((await request(app.callback()).get('/api/empty-200').expect(200)).body).to.deep.equal(ok({}));
    });

    it('keeps 204 and 304 empty', async () => {
      const noContent = await request(app.callback()).delete('/api/no-content').expect(204);
      expect(noContent.text).to.equal('');
      const notModified = await request(app.callback()).get('/api/not-modified').expect(304);
      expect(notModified.text).to.equal('');
    });
  });

  describe('client errors', () => {
    const router = new Router();
    router.get('/api/thrown', (ctx) => ctx.throw(422, 'title is required'));
    router.get('/api/set-string', (ctx) => { ctx.status = 409; ctx.body = 'already exists'; });
    router.get('/api/set-object', (ctx) => { ctx.status = 400; ctx.body = { errors: [{ field: 'title', problem: 'missing' }] }; });
    router.get('/api/unauthorized', () => { throw createError(401, 'Log in first', { headers: { 'WWW-Authenticate': 'Bearer' } }); });
    router.get('/api/slow-down', () => { throw createError(429, 'Too many', { headers: { 'Retry-After': '30' } }); });
    router.get('/api/status-code', () => { throw Object.assign(new Error('gone for good'), { statusCode: 410 }); });
    router.get('/api/hidden', () => { throw createError(403, 'secret reason', { expose: false }); });
    const app = appWith(router);

    it("uses a thrown error's message and status", async () => {
      const res = await request(app.callback()).get('/api/thrown').expect(422);
      expect(res.body).to.deep.equal(fail('title is required'));
    });

    it('uses the body a handler set: a string, or the whole object so no detail is lost', async () => {
      expect((await request(app.callback()).get('/api/set-string').expect(409)).body).to.deep.equal(fail('already exists'));
      expect((await request(app.callback()).get('/api/set-object').expect(400)).body)
        .to.deep.equal(fail({ errors: [{ field: 'title', problem: 'missing' }] }));
    });

    it('applies err.headers (WWW-Authenticate on 401, Retry-After on 429)', async () => {
      await request(app.callback()).get('/api/unauthorized').expect(401).expect('WWW-Authenticate', 'Bearer');
      await request(app.callback()).get('/api/slow-down').expect(429).expect('Retry-After', '30');
    });

    it('reads err.statusCode too', async () => {
      expect((await request(app.callback()).get('/api/status-code').expect(410)).body).to.deep.equal(fail('gone for good'));
    });

    it('hides the message of a 4xx that says expose: false', async () => {
      expect((await request(app.callback()).get('/api/hidden').expect(403)).body).to.deep.equal(fail('Forbidden'));
    });

    it('envelopes an unknown API path as 404 Not Found', async () => {
      expect((await request(app.callback()).get('/api/nothing-here').expect(404)).body).to.deep.equal(fail('Not Found'));
    });

    it("envelopes @koa/router's 405 and 501 with their Allow header", async () => {
      const res = await request(app.callback()).post('/api/thrown').expect(405);
      expect(res.body).to.deep.equal(fail('Method Not Allowed'));
      expect(res.headers.allow).to.include('GET');
      const throwing = new Router();
      throwing.get('/api/only-get', (ctx) => { ctx.body = 'x'; });
      const strict = new Koa();
      strict.use(responseFormatter());
      strict.use(throwing.routes());
      strict.use(throwing.allowedMethods({ throw: true }));
      const thrown = await request(strict.callback()).put('/api/only-get').expect(405);
      expect(thrown.body).to.deep.equal(fail('Method Not Allowed'));
      // A router that implements fewer methods answers 501 for the others.
      const getOnly = new Router({ methods: ['GET', 'HEAD', 'OPTIONS'] });
      getOnly.get('/api/only-get', (ctx) => { ctx.body = 'x'; });
      const limited = new Koa();
      limited.use(responseFormatter());
      limited.use(getOnly.routes());
      limited.use(getOnly.allowedMethods());
      const unknownMethod = await request(limited.callback()).post('/api/only-get').expect(501);
      expect(unknownMethod.body).to.deep.equal(fail('Not Implemented'));
      expect(unknownMethod.headers.allow).to.include('GET');
    });
  });

  describe('bad request bodies', () => {
    const router = new Router();
    router.post('/api/echo', (ctx) => { ctx.body = { got: ctx.request.body }; });
    const app = appWith(router);

    it('parses a good JSON body', async () => {
      const res = await request(app.callback()).post('/api/echo').send({ a: 1 }).expect(200);
      expect(res.body).to.deep.equal(ok({ got: { a: 1 } }));
    });

    it('gives malformed JSON a 400 envelope', async () => {
      const res = await request(app.callback()).post('/api/echo').set('Content-Type', 'application/json').send('{"a":').expect(400);
      expect(res.body.success).to.equal(false);
      expect(res.body.result).to.equal(null);
      expect(res.body.message).to.be.a('string').and.not.equal('');
    });

    it('gives a body over the limit a 413 envelope', async () => {
      const res = await request(app.callback()).post('/api/echo').send({ big: 'x'.repeat(5000) }).expect(413);
      expect(res.body).to.deep.equal(fail('request entity too large'));
    });

    it('gives a body of an unsupported type a 415 envelope', async () => {
      const res = await request(app.callback()).post('/api/echo').set('Content-Type', 'application/xml').send('<a/>').expect(415);
      expect(res.body).to.deep.equal(fail('Unsupported Media Type: application/xml'));
    });
  });

  describe('server errors', () => {
    const router = new Router();
    router.get('/api/crash', () => { throw new TypeError('cannot read db.password of undefined'); });
    router.get('/api/exposed', () => { throw createError(503, 'Maintenance until 10:00', { expose: true }); });
    router.get('/api/set-500', (ctx) => { ctx.status = 502; ctx.body = { upstream: 'db-7.internal:5432 refused' }; });
    router.get('/api/throw-string', () => { throw 'x'; });
    router.get('/api/throw-null', () => { throw null; });
    router.get('/api/throw-object', () => { throw { reason: 'plain object' }; });
    const app = appWith(router);

    it('never leaks the message, stack or class of a 5xx', async () => {
      const res = await request(app.callback()).get('/api/crash').expect(500);
      expect(res.body).to.deep.equal(fail('Internal Server Error'));
      expect(res.text).not.to.match(/TypeError|password|at /);
    });

    it('shows the message of an error that says expose: true', async () => {
      expect((await request(app.callback()).get('/api/exposed').expect(503)).body).to.deep.equal(fail('Maintenance until 10:00'));
    });

    it("replaces a 5xx body set by a handler with the status's text", async () => {
      const res = await request(app.callback()).get('/api/set-500').expect(502);
      expect(res.body).to.deep.equal(fail('Bad Gateway'));
    });

    for (const path of ['/api/throw-string', '/api/throw-null', '/api/throw-object']) {
      it(`turns a non-Error throw (${path.slice(11)}) into a 500 envelope`, async () => {
        expect((await request(app.callback()).get(path).expect(500)).body).to.deep.equal(fail('Internal Server Error'));
      });
    }

    it("still tells app.on('error') listeners about a 5xx, as an Error", async () => {
      const seen: unknown[] = [];
      app.on('error', (err) => seen.push(err));
      await request(app.callback()).get('/api/crash').expect(500);
      await request(app.callback()).get('/api/throw-string').expect(500);
      await request(app.callback()).get('/api/nothing').expect(404);
      app.removeAllListeners('error');
      expect(seen).to.have.length(2);
      expect((seen[0] as Error).message).to.equal('cannot read db.password of undefined');
      expect(seen[1]).to.be.instanceOf(Error);
      expect((seen[1] as Error).message).to.equal('non-error thrown: x');
    });

    it("does not hand a 5xx to Koa's default printer, which would log it unscrubbed", async () => {
      const loud = appWith(router);
      loud.silent = false;
      const printed: string[] = [];
      const original = console.error;
      console.error = (...args: unknown[]) => { printed.push(args.map(String).join(' ')); };
      try {
        await request(loud.callback()).get('/api/crash').expect(500);
      } finally {
        console.error = original;
      }
      expect(printed).to.deep.equal([]);
      // A listener added after Koa attached its printer hears about it; the printer still does not.
      const seen: unknown[] = [];
      loud.once('error', (err) => seen.push(err));
      console.error = (...args: unknown[]) => { printed.push(args.map(String).join(' ')); };
      try {
        await request(loud.callback()).get('/api/crash').expect(500);
        await request(loud.callback()).get('/api/crash').expect(500);
      } finally {
        console.error = original;
      }
      expect(seen).to.have.length(1);
      expect(printed).to.deep.equal([]);
    });

    it('stays quiet on app.on(error) when emitErrors is false', async () => {
      const quiet = appWith(router, { emitErrors: false });
      let emitted = 0;
      quiet.on('error', () => { emitted += 1; });
      await request(quiet.callback()).get('/api/crash').expect(500);
      expect(emitted).to.equal(0);
    });
  });

  describe('responses it leaves alone', () => {
    const router = new Router();
    router.get('/page', (ctx) => { ctx.body = { not: 'api' }; });
    router.get('/page-crash', () => { throw new Error('non-API crash'); });
    router.get('/api/stream', (ctx) => { ctx.type = 'application/json'; ctx.body = Readable.from(['{"streamed":true}']); });
    router.get('/api/buffer', (ctx) => { ctx.body = Buffer.from('raw bytes'); });
    router.get('/api/csv', (ctx) => { ctx.type = 'text/csv'; ctx.body = 'id,title\n1,a\n'; });
    router.get('/api/html', (ctx) => { ctx.type = 'html'; ctx.body = '<p>hi</p>'; });
    router.get('/api/redirect', (ctx) => { ctx.redirect('/api/object'); });
    router.get('/api/export', rawResponse(), (ctx) => { ctx.body = { raw: true }; });
    router.get('/api/export-crash', rawResponse(), () => { throw createError(409, 'raw conflict'); });
    router.get('/health', formatResponse(), (ctx) => { ctx.body = { status: 'up' }; });
    router.get('/health-crash', formatResponse(), () => { throw new Error('down'); });
    const app = appWith(router);

    it('leaves non-API paths and their errors to Koa', async () => {
      expect((await request(app.callback()).get('/page').expect(200)).body).to.deep.equal({ not: 'api' });
      const crash = await request(app.callback()).get('/page-crash').expect(500);
      expect(crash.text).to.equal('Internal Server Error');
    });

    it('leaves streams and Buffers alone', async () => {
      expect((await request(app.callback()).get('/api/stream').expect(200)).body).to.deep.equal({ streamed: true });
      const buffer = await request(app.callback()).get('/api/buffer').buffer(true).parse((res, cb) => {
        let data = '';
        res.on('data', (c: Buffer) => { data += c.toString(); });
        res.on('end', () => cb(null, data));
      }).expect(200);
      expect(buffer.body).to.equal('raw bytes');
    });

    it('leaves bodies with a non-JSON type the handler chose alone', async () => {
      const csv = await request(app.callback()).get('/api/csv').expect(200).expect('Content-Type', /text\/csv/);
      expect(csv.text).to.equal('id,title\n1,a\n');
      const html = await request(app.callback()).get('/api/html').expect(200).expect('Content-Type', /text\/html/);
      expect(html.text).to.equal('<p>hi</p>');
    });

    it('leaves redirects alone', async () => {
      const res = await request(app.callback()).get('/api/redirect').expect(302).expect('Location', '/api/object');
      expect(res.text).to.match(/Redirecting/);
    });

    it('leaves HEAD and OPTIONS alone', async () => {
      const head = await request(app.callback()).head('/api/csv').expect(200);
      expect(head.text).to.equal(undefined);
      const options = await request(app.callback()).options('/api/csv').expect(200);
      expect(options.headers.allow).to.include('GET');
      expect(options.text).to.equal('');
    });

    it('leaves a route marked rawResponse() alone, errors included', async () => {
      expect((await request(app.callback()).get('/api/export').expect(200)).body).to.deep.equal({ raw: true });
      const crash = await request(app.callback()).get('/api/export-crash').expect(409);
      expect(crash.text).to.equal('raw conflict');
    });

    it('envelopes a route outside the API paths marked formatResponse(), errors included', async () => {
      expect((await request(app.callback()).get('/health').expect(200)).body).to.deep.equal(ok({ status: 'up' }));
      expect((await request(app.callback()).get('/health-crash').expect(500)).body).to.deep.equal(fail('Internal Server Error'));
    });
  });
});
