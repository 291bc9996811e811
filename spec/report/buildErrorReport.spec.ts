import path from 'node:path';
import { expect } from 'chai';
import createError from 'http-errors';
import { createHash } from 'node:crypto';
import os from 'node:os';
import { buildErrorReport } from '../../lib/report/buildErrorReport';
import { ResponseStatus } from '../../lib/report/responseStatus';
import { reportOptions } from '../../lib/report/reportOptions';
import { SafeReportFilter } from '../../lib/report/scrub/SafeReportFilter';
import { sensitivePostParameters } from '../../lib/middleware/sensitivePostParameters';
import { reportFor, reportingApp } from '../support/reportingApp';

const SUB = '********************';
const options = reportOptions({ environment: 'test', release: 'r1' });

function failLoadingNote(id: string): never {
  throw new Error(`note ${id} not found`);
}

function failSavingNote(id: string): never {
  throw new Error(`note ${id} not found`);
}

describe('buildErrorReport', () => {
  it("builds Django's report of an error in a request", async () => {
    const app = reportingApp(options, () => failLoadingNote('42'));
    const report = await reportFor(app, (agent) => agent.get('/api/notes/42?draft=1').set('User-Agent', 'spec'));
    expect(report).to.deep.include({
      kind: 'error',
      title: 'Internal Server Error: /api/notes/42',
      status: 500,
      brokenLink: null,
      environment: 'test',
      release: 'r1',
      host: os.hostname(),
      pid: process.pid,
      user: { id: null, username: 'Anonymous' },
    });
    expect(report.id).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(report.timestamp).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(report.timezone).to.equal(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(report.fingerprint).to.match(/^[0-9a-f]{40}$/);
    expect(report.error).to.deep.include({ type: 'Error', message: 'note 42 not found' });
    expect(report.error!.frames[0]).to.include({ function: 'failLoadingNote', file: path.relative(process.cwd(), __filename), inApp: true });
    expect(report.request).to.deep.include({ method: 'GET', url: '/api/notes/42?draft=1', path: '/api/notes/42', userAgent: 'spec' });
  });

  it('takes the status from the argument, then err.status / err.statusCode, then 500', async () => {
    const teapot = await reportFor(reportingApp(options, () => failLoadingNote('1'), { status: 503 }), (agent) => agent.get('/a'));
    expect(teapot).to.include({ status: 503, title: 'Service Unavailable: /a' });
    const notFound = await reportFor(reportingApp(options, () => { throw createError(404); }), (agent) => agent.get('/b'));
    expect(notFound).to.include({ status: 404, title: 'Not Found: /b' });
    const upstream = await reportFor(reportingApp(options, () => { throw Object.assign(new Error('x'), { statusCode: 502 }); }), (agent) => agent.get('/c'));
    expect(upstream.status).to.equal(502);
    const redirect = await reportFor(reportingApp(options, () => { throw Object.assign(new Error('x'), { status: 301 }); }), (agent) => agent.get('/d'));
    expect(redirect.status).to.equal(500);
    expect(buildErrorReport(new Proxy({}, { get() { throw new Error('trap'); } }), undefined, options).status).to.equal(500);
  });

  it('reads the user through getUser', async () => {
    const app = reportingApp(options, (ctx) => {
      ctx.state.user = { _id: 'u7', email: 'ada@example.com' };
      failLoadingNote('1');
    });
    expect((await reportFor(app, (agent) => agent.get('/'))).user).to.deep.equal({ id: 'u7', username: 'ada@example.com' });
  });

  it('works without a context', () => {
    const report = buildErrorReport(new TypeError('bad input\nsecond line'), undefined, options);
    expect(report).to.include({ title: 'TypeError: bad input', status: 500, request: null });
    expect(report.user).to.deep.equal({ id: null, username: 'Anonymous' });
    expect(buildErrorReport(undefined, undefined, options).title).to.equal('undefined: undefined');
  });

  it('reports any thrown value as JSON-serialisable data', async () => {
    const hostile = new Proxy({}, {
      get() { throw new Error('trap'); },
      ownKeys() { throw new Error('trap'); },
      getPrototypeOf() { throw new Error('trap'); },
      has() { throw new Error('trap'); },
      getOwnPropertyDescriptor() { throw new Error('trap'); },
    });
    const gettersThrow = new Error('x');
    for (const key of ['stack', 'message', 'name']) {
      Object.defineProperty(gettersThrow, key, { get() { throw new Error(`no ${key}`); } });
    }
    const circular = Object.assign(new Error('loop'), { context: {} as Record<string, unknown> });
    circular.context.self = circular.context;
    circular.context.err = circular;
    const values: unknown[] = ['a string', 7, null, undefined, { plain: true }, hostile, gettersThrow, circular, Symbol('s'), 5n];
    for (const value of values) {
      const report = await reportFor(reportingApp(options, () => { throw value; }), (agent) => agent.get('/throw'));
      expect(report.error, String(typeof value)).to.have.property('type').that.is.a('string');
      const direct = buildErrorReport(value, undefined, options);
      expect(() => JSON.parse(JSON.stringify(direct))).not.to.throw();
    }
    const report = buildErrorReport(circular, undefined, options);
    expect(report.error!.extra).to.deep.equal({ context: { self: '[Circular]', err: { type: 'Error', message: 'loop' } } });
  });

  it('truncates a 5 MB message', () => {
    const report = buildErrorReport(new Error('z'.repeat(5 * 1024 * 1024)), undefined, options);
    expect(report.error!.message.endsWith('…[truncated]')).to.equal(true);
    expect(JSON.stringify(report).length).to.be.below(100 * 1024);
  });

  it('groups one throw site across messages and ids, and splits different sites', () => {
    const capture = (work: () => void) => {
      try {
        work();
      } catch (err) {
        return buildErrorReport(err, undefined, options).fingerprint;
      }
      throw new Error('expected a throw');
    };
    const loads = ['1', '507f1f77bcf86cd799439011', 'abc'].map((id) => capture(() => failLoadingNote(id)));
    expect(new Set(loads).size).to.equal(1);
    expect(capture(() => failSavingNote('1'))).not.to.equal(loads[0]);
  });

  it('honours err.fingerprint, and the fingerprint option over it', () => {
    const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');
    const err = Object.assign(new Error('x'), { fingerprint: ['db', 'down'] });
    expect(buildErrorReport(err, undefined, options).fingerprint).to.equal(sha1('db\ndown'));
    const hooked = reportOptions({ fingerprint: (report) => (report.error?.type === 'Error' ? 'all-errors' : undefined) });
    expect(buildErrorReport(err, undefined, hooked).fingerprint).to.equal(sha1('all-errors'));
    expect(buildErrorReport('str', undefined, hooked).fingerprint).not.to.equal(sha1('all-errors'));
  });

  it('records which rule grouped the report', async () => {
    expect(buildErrorReport(Object.assign(new Error('x'), { fingerprint: 'db' }), undefined, options).grouping).to.deep.equal({ rule: 'custom', detail: 'custom fingerprint (err.fingerprint)' });
    const hooked = reportOptions({ fingerprint: () => 'all' });
    expect(buildErrorReport(new Error('x'), undefined, hooked).grouping).to.deep.equal({ rule: 'custom', detail: 'custom fingerprint (the fingerprint option)' });
    const framed = (() => { try { failLoadingNote('1'); } catch (err) { return buildErrorReport(err, undefined, options); } })()!;
    expect(framed.grouping!.rule).to.equal('frames');
    expect(framed.grouping!.detail).to.match(/^in-app frames of Error: spec\/report\/buildErrorReport\.spec\.ts failLoadingNote, /);
    expect(buildErrorReport('user 42 not found', undefined, options).grouping).to.deep.equal({ rule: 'message', detail: 'normalised message of string: user <n> not found' });
    const app = reportingApp(options, (ctx) => { ctx.status = 502; throw new ResponseStatus(ctx); }, { status: 502 });
    const report = await reportFor(app, (agent) => agent.get('/up'));
    expect(report.grouping).to.deep.equal({ rule: 'route', detail: 'route + status: GET (no matched route) → 502' });
  });

  it('uses ctx.state.reportFilter for that request', async () => {
    class Own extends SafeReportFilter {
      override cleansedSubstitute = '[own]';
    }
    const app = reportingApp(options, (ctx) => {
      ctx.state.reportFilter = new Own();
      failLoadingNote('1');
    });
    const report = await reportFor(app, (agent) => agent.get('/').set('Cookie', 'sid=1'));
    expect(report.request!.headers.cookie).to.equal('[own]');
  });

  it('bounds a large body to a truncated preview', async () => {
    const small = reportOptions({ limits: { maxBodyBytes: 64 } });
    const app = reportingApp(small, () => failLoadingNote('1'));
    const report = await reportFor(app, (agent) => agent.post('/').send({ text: 'w'.repeat(1000) }));
    expect(report.request!.body).to.match(/^\{"text":"w+…\[truncated \d+ bytes\]$/);
  });

  describe('planted secrets', () => {
    const planted = {
      authorization: 'pl-authz-0001',
      cookie: 'pl-cookie-0002',
      apiKeyHeader: 'pl-xapikey-0003',
      queryToken: 'pl-qtoken-0004',
      password: 'pl-password-0005',
      arraySecret: 'pl-arraysecret-0006',
      errApiKey: 'pl-errapikey-0007',
      dbPassword: 'pl-dbpass-0008',
      pathToken: 'pl-pathtoken-0009',
      causeSecret: 'pl-cause-0010',
      causeExtra: 'pl-causeextra-0011',
      bearerInMessage: 'pl-bearer-0012',
      refererPassword: 'pl-referer-0013',
      sensitiveCard: 'pl-card-0014',
    };

    it('leaves none of them anywhere in the report', async () => {
      const app = reportingApp(
        options,
        (ctx) => {
          const cause = Object.assign(new Error(`retrying https://svc:${planted.causeSecret}@internal.example/`), {
            token: planted.causeExtra,
          });
          const err = Object.assign(
            new Error(`cannot reach mongodb://admin:${planted.dbPassword}@db:27017 while handling ${ctx.originalUrl} (Bearer ${planted.bearerInMessage})`, { cause }),
            { apiKey: planted.errApiKey, context: { url: ctx.originalUrl } },
          );
          throw err;
        },
        { before: [sensitivePostParameters('card')] },
      );
      const report = await reportFor(app, (agent) =>
        agent
          .post(`/api/notes?token=${planted.queryToken}&next=${encodeURIComponent(`/x?access_token=${planted.pathToken}`)}`)
          .set('Authorization', `Bearer ${planted.authorization}`)
          .set('Cookie', `sessionid=${planted.cookie}`)
          .set('X-Api-Key', planted.apiKeyHeader)
          .set('Referer', `https://ada:${planted.refererPassword}@example.com/form`)
          .send({
            user: { name: 'ada', password: planted.password },
            items: [{ secret: planted.arraySecret, n: 1 }],
            payment: { card: planted.sensitiveCard },
          }),
      );
      const json = JSON.stringify(report);
      for (const [where, secret] of Object.entries(planted)) expect(json, where).not.to.include(secret);
      // What is left shows where the secrets were.
      expect(report.request!.headers).to.include({ authorization: SUB, cookie: SUB, 'x-api-key': SUB });
      expect(report.request!.query.token).to.equal(SUB);
      expect(report.error!.extra.apiKey).to.equal(SUB);
      expect(report.error!.message).to.include(`mongodb://${SUB}@db:27017`);
      expect(report.error!.cause[0].extra).to.deep.equal({ token: SUB });
      expect(report.request!.body).to.deep.equal({
        user: { name: 'ada', password: SUB },
        items: [{ secret: SUB, n: 1 }],
        payment: { card: SUB },
      });
    });
  });
});
