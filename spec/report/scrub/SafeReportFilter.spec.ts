import { expect } from 'chai';
import Koa, { type Context } from 'koa';
import { SafeReportFilter, UNFILTERABLE } from '../../../lib/report/scrub/SafeReportFilter';
import { SENSITIVE_POST_PARAMETERS } from '../../../lib/report/scrub/sensitivePostParameterMarks';
import type { ErrorInfo, Report, RequestInfo } from '../../../lib/report/Report';
import { sampleError, sampleReport, sampleRequest } from '../../support/reports';

const SUB = '********************';
const filter = new SafeReportFilter();

function contextWithState(state: Record<string, unknown>): Context {
  const ctx = new Koa().createContext({ headers: {}, url: '/', method: 'POST', socket: {} } as never, {} as never);
  Object.assign(ctx.state, state);
  return ctx;
}

describe('SafeReportFilter', () => {
  describe('defaults', () => {
    it("substitutes Django's 20 asterisks", () => {
      expect(filter.cleansedSubstitute).to.equal(SUB);
    });

    it("hides Django's default keys plus the HTTP ones", () => {
      const hidden = [
        'api_key', 'X-Api-Key', 'token', 'access_token', 'secret', 'client_secret', 'password', 'passwd', 'signature',
        'authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'session', 'sessionid', 'csrftoken',
        'x-csrf-token', 'x-xsrf-token', 'credentials', 'AUTH', 'privateKey',
      ];
      for (const key of hidden) expect(filter.isHiddenKey(key), key).to.equal(true);
      for (const key of ['title', 'user-agent', 'accept', 'content-type', 'id', 'email']) expect(filter.isHiddenKey(key), key).to.equal(false);
    });

    it('is active', () => {
      expect(filter.isActive()).to.equal(true);
    });
  });

  describe('cleanse', () => {
    it('hides matching keys in headers, query, body and error extras at any depth, whatever the value', () => {
      const report = sampleReport({
        request: sampleRequest({
          headers: { authorization: 'Bearer h1', cookie: 'sid=h2', 'x-api-key': 'h3', accept: 'text/html' },
          query: { token: ['q1', 'q2'], page: '2' },
          body: { user: { name: 'ada', password: 'b1' }, items: [{ secret: 'b2', n: 1 }], nested: { deeper: [{ apiKey: { v: 'b3' } }] } },
        }),
        error: sampleError({
          extra: { apiKey: 'e1', context: { session: 42 }, safe: 'ok' },
          cause: [{ ...sampleError({ extra: { token: 'c1' } }) }],
        }),
      });
      const cleansed = filter.cleanse(report);
      expect(cleansed.request!.headers).to.deep.equal({ authorization: SUB, cookie: SUB, 'x-api-key': SUB, accept: 'text/html' });
      expect(cleansed.request!.query).to.deep.equal({ token: SUB, page: '2' });
      expect(cleansed.request!.body).to.deep.equal({
        user: { name: 'ada', password: SUB },
        items: [{ secret: SUB, n: 1 }],
        nested: { deeper: [{ apiKey: SUB }] },
      });
      expect(cleansed.error!.extra).to.deep.equal({ apiKey: SUB, context: { session: SUB }, safe: 'ok' });
      expect(cleansed.error!.cause[0].extra).to.deep.equal({ token: SUB });
    });

    it('hides keys and masks text in fields a hand-built report added, in any of its parts', () => {
      const added = { lastCall: { token: 'hunter2', list: [{ apiKey: 'k-1' }] }, password: 'p-1', note: 'see https://u:p-2@db.example/' };
      const report = {
        ...sampleReport({
          request: { ...sampleRequest(), ...added } as RequestInfo,
          error: { ...sampleError({ cause: [{ ...sampleError(), ...added }] }), ...added } as ErrorInfo,
          user: { id: null, username: 'ada', ...added } as Report['user'],
        }),
        ...added,
      } as Report;
      const cleansed = filter.cleanse(report);

      expect((cleansed.request as unknown as Record<string, unknown>).lastCall).to.deep.equal({ token: SUB, list: [{ apiKey: SUB }] });
      expect(cleansed.error!.cause[0]).to.include({ password: SUB, note: `see https://${SUB}@db.example/` });
      const json = JSON.stringify(cleansed);
      for (const secret of ['hunter2', 'k-1', 'p-1', 'p-2']) expect(json, secret).not.to.include(secret);
    });

    it('does not modify the report it is given', () => {
      const report = sampleReport({ request: sampleRequest({ headers: { cookie: 'sid=1' } }) });
      filter.cleanse(report);
      expect(report.request!.headers).to.deep.equal({ cookie: 'sid=1' });
    });

    it('masks credentials in every string of the report', () => {
      const url = 'mongodb://admin:hunter2@db:27017/app';
      const report = sampleReport({
        title: `Error: ${url}`,
        request: sampleRequest({
          url: '/cb?next=https://u:p4ss@example.com/&api_key=k9',
          body: { note: `see ${url}`, list: [url] },
          referer: 'https://tok3n@example.com/page',
          headers: { 'x-upstream': url },
        }),
        error: sampleError({
          message: `cannot connect to ${url}`,
          stack: `Error: cannot connect to ${url}\n    at connect (/app/db.js:1:1)`,
          extra: { target: url },
          cause: [{ ...sampleError({ message: `retry ${url}` }) }],
        }),
        brokenLink: { url: '/x?token=t0k', referer: 'https://a:b@c/', internal: false },
      });
      const json = JSON.stringify(filter.cleanse(report));
      for (const secret of ['hunter2', 'p4ss', 'k9', 'tok3n', 't0k', 'a:b@']) expect(json, secret).not.to.include(secret);
      expect(json).to.include(`mongodb://${SUB}@db:27017/app`);
    });

    it('hides the body parameters marked by sensitivePostParameters, at any depth', () => {
      const ctx = contextWithState({ [SENSITIVE_POST_PARAMETERS]: ['pin', 'card'] });
      const report = sampleReport({ request: sampleRequest({ body: { pin: '1234', card: { number: '4111' }, nested: [{ pin: '9' }], name: 'ada' } }) });
      expect(filter.cleanse(report, ctx).request!.body).to.deep.equal({ pin: SUB, card: SUB, nested: [{ pin: SUB }], name: 'ada' });
    });

    it('hides every value of the body and keeps its keys when all parameters are marked', () => {
      const ctx = contextWithState({ [SENSITIVE_POST_PARAMETERS]: 'all' });
      const report = sampleReport({ request: sampleRequest({ body: { name: 'ada', note: 'plain', tags: ['a'] } }) });
      expect(filter.cleanse(report, ctx).request!.body).to.deep.equal({ name: SUB, note: SUB, tags: [SUB] });
      const text = sampleReport({ request: sampleRequest({ body: 'raw text body' }) });
      expect(filter.cleanse(text, ctx).request!.body).to.equal(SUB);
    });

    it('turns a field whose filtering fails into [unfilterable], never the raw value', () => {
      class BrokenBody extends SafeReportFilter {
        override cleanseBody(): unknown {
          throw new Error('bug in subclass');
        }
      }
      class BrokenText extends SafeReportFilter {
        override cleanseText(text: string): string {
          if (text.includes('hunter2')) throw new Error('bug in subclass');
          return super.cleanseText(text);
        }
      }
      const report = sampleReport({ request: sampleRequest({ body: { password: 'hunter2' } }), error: sampleError({ message: 'pw hunter2' }) });
      expect(new BrokenBody().cleanse(report).request!.body).to.equal(UNFILTERABLE);
      const cleansed = new BrokenText().cleanse(report);
      expect(cleansed.error!.message).to.equal(UNFILTERABLE);
      expect(JSON.stringify(cleansed)).not.to.include('hunter2');
    });

    it('never throws on a report with hostile parts, and drops what it cannot read', () => {
      const trap = () => {
        throw new Error('trap');
      };
      const hostile = new Proxy({}, { get: trap, ownKeys: trap, getOwnPropertyDescriptor: trap, has: trap });
      const request = { ...sampleRequest({ url: '/?token=plain1' }), get headers(): never { return trap(); } } as RequestInfo;
      const partly = filter.cleanse(sampleReport({ title: 'GET /?token=plain2', request, error: sampleError({ message: 'https://u:plain3@h/' }) }));
      expect(partly.request).to.equal(null);
      expect(partly.title).to.equal(UNFILTERABLE);
      expect(JSON.stringify(partly)).not.to.include('plain');
      const unreadableError = filter.cleanse(sampleReport({ error: hostile as ErrorInfo }));
      expect(unreadableError).to.include({ id: sampleReport().id, title: UNFILTERABLE });
      expect(unreadableError.error).to.deep.equal({ type: UNFILTERABLE, message: UNFILTERABLE, stack: null, frames: [], cause: [], extra: {} });
      const whole = filter.cleanse(hostile as Report);
      expect(whole).to.include({ title: UNFILTERABLE, request: null, error: null });
      expect(() => JSON.stringify(whole)).not.to.throw();
    });

    it('filters an error, a cause or a request that is not an object as text, never spread into characters', () => {
      const cleansed = filter.cleanse(sampleReport({ error: 'password: hunter2' as never, request: 'GET /reset?password=hunter2' as never }));
      expect(cleansed.error).to.equal(`password: ${SUB}`);
      expect(cleansed.request).to.equal(`GET /reset?password=${SUB}`);

      const nested = filter.cleanse(sampleReport({ error: sampleError({ cause: ['token=hunter2' as never], errors: [7 as never] }) }));
      expect(nested.error!.cause).to.deep.equal([`token=${SUB}`]);
      expect(nested.error!.errors).to.deep.equal([7]);
    });

    it('answers a bare placeholder report for a report that is not an object, keeping none of it', () => {
      for (const notReport of ['password hunter2', ['password', 'hunter2'], null, 42]) {
        const cleansed = filter.cleanse(notReport as never);
        expect(cleansed).to.include({ title: UNFILTERABLE, fingerprint: UNFILTERABLE });
        expect(JSON.stringify(cleansed)).to.not.include('hunter2');
        expect(cleansed).to.not.have.property('0');
      }
    });

    it('reads a sparse list of causes or aggregated errors by the items it holds, not slot by slot', () => {
      let reads = 0;
      const held: unknown[] = [];
      held[1e6] = sampleError({ extra: { token: 't0k' } });
      const counted = new Proxy(held, {
        has: (target, key) => (reads++, Reflect.has(target, key)),
        get: (target, key, receiver) => ((typeof key === 'string' && /^\d+$/.test(key) ? reads++ : 0), Reflect.get(target, key, receiver)),
      });
      const cleansed = filter.cleanse(sampleReport({ error: sampleError({ cause: counted as never, errors: counted as never }) }));

      expect(cleansed.error!.cause).to.have.length(2);
      expect(cleansed.error!.cause[0].extra).to.deep.equal({ token: SUB });
      expect(cleansed.error!.errors).to.have.length(2);
      expect(reads, 'slots read').to.be.below(20);
    });

    it('keeps only what identifies the occurrence of a report it cannot walk, nothing a hand-built part added', () => {
      const trap = () => {
        throw new Error('trap');
      };
      const hostileFrame = new Proxy({}, { get: trap, ownKeys: trap, getOwnPropertyDescriptor: trap, has: trap });
      const added = { lastCall: { token: 'plain1' } };
      const report = {
        ...sampleReport({
          error: { ...sampleError({ type: 'token=plain2', frames: [hostileFrame as never, { file: 'a.ts', line: 1, column: 1, function: 'token=plain3', inApp: true }] }), ...added } as ErrorInfo,
          user: { id: 'token=plain4', username: 'ada', ...added } as Report['user'],
          grouping: { rule: 'frames', detail: 'token=plain5' },
        }),
        ...added,
      } as Report;
      const cleansed = filter.cleanse(report);

      const json = JSON.stringify(cleansed);
      expect(json).not.to.include('plain');
      expect(cleansed).to.include({ id: report.id, fingerprint: report.fingerprint, title: UNFILTERABLE, request: null });
      expect(cleansed).not.to.have.any.keys('lastCall', 'grouping');
    });

    it('treats a throwing isActive as active', () => {
      class Confused extends SafeReportFilter {
        override isActive(): boolean {
          throw new Error('no');
        }
      }
      const report = sampleReport({ request: sampleRequest({ body: { password: 'x' } }) });
      expect(new Confused().cleanse(report).request!.body).to.deep.equal({ password: SUB });
    });
  });

  describe('cleanseText', () => {
    const cases: Array<[string, string]> = [
      ['postgres://user:pa55@db/app', `postgres://${SUB}@db/app`],
      ['https://ghp_T0KEN:x-oauth-basic@github.com/org', `https://${SUB}@github.com/org`],
      ['redis://:pa55@cache:6379', `redis://${SUB}@cache:6379`],
      ['https://ghp_T0KEN@github.com/org/repo.git', `https://${SUB}@github.com/org/repo.git`],
      ['amqp://user:p@ss@mq/vhost', `amqp://${SUB}@mq/vhost`],
      ['mongodb+srv://u:x1@cluster0.example.net', `mongodb+srv://${SUB}@cluster0.example.net`],
      ['GET /cb?api_key=abc&page=2', `GET /cb?api_key=${SUB}&page=2`],
      ['https://x.test/?a=1&access_token=zz#frag', `https://x.test/?a=1&access_token=${SUB}#frag`],
      ['/p?api%5Fkey=enc', `/p?api%5Fkey=${SUB}`],
      ['/login?next=%2Fx%3Faccess_token%3Dabc%26page%3D2', `/login?next=%2Fx%3Faccess_token%3D${SUB}%26page%3D2`],
      ['/go?to=https%3A%2F%2Fu%3Ap4%40host%2Fpath', `/go?to=https%3A%2F%2F${SUB}%40host%2Fpath`],
      ['/go?to=https%3A%2F%2Ftok%40host', `/go?to=https%3A%2F%2F${SUB}%40host`],
      ['host=db password=pw1 user=app', `host=db password=${SUB} user=app`],
      ['Authorization: Bearer eyJhbGciOi.J9.x-_y', `Authorization: Bearer ${SUB}`],
      ['basic dXNlcjpwYXNz==', `basic ${SUB}`],
      ['body was {"user":"ada","password":"hunter2"}', `body was {"user":"ada","password":"${SUB}"}`],
      ['no secrets at https://example.com/a?b=c here', 'no secrets at https://example.com/a?b=c here'],
      ['mail ada@example.com', 'mail ada@example.com'],
    ];
    for (const [input, expected] of cases) {
      it(`masks ${JSON.stringify(input)}`, () => {
        expect(filter.cleanseText(input)).to.equal(expected);
      });
    }

    it('is idempotent', () => {
      const once = filter.cleanseText('https://u:p@h/?token=t Bearer abc');
      expect(filter.cleanseText(once)).to.equal(once);
    });
  });

  describe('its one cache', () => {
    it('forgets cleansed texts when a rule field changes on the same filter', () => {
      const own = new SafeReportFilter();
      expect(own.cleanseText('token=abc')).to.equal(`token=${SUB}`);
      own.cleansedSubstitute = '[gone]';
      expect(own.cleanseText('token=abc')).to.equal('token=[gone]');
      own.hiddenKeys = /region/i;
      expect(own.cleanseText('token=abc region=eu')).to.equal('token=abc region=[gone]');
      own.secretPatterns = [];
      expect(own.cleanseText('AKIAIOSFODNN7EXAMPLE')).to.equal('AKIAIOSFODNN7EXAMPLE');
    });

    it("cleanses a stack's frames like any other field, secrets in function names masked", () => {
      const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';
      const report = sampleReport({ error: sampleError({ frames: [{ file: 'lib/a.ts', line: 1, column: 2, function: `Object.${jwt}`, inApp: true }] }) });
      const frame = filter.cleanse(report).error!.frames[0];
      expect(frame).to.deep.equal({ file: 'lib/a.ts', line: 1, column: 2, function: `Object.${SUB}`, inApp: true });
    });
  });

  describe('options', () => {
    it('are checked at construction, each naming the fix', () => {
      expect(() => new SafeReportFilter({ hiddenKey: /x/ } as never)).to.throw(TypeError, /did you mean `hiddenKeys`/);
      expect(() => new SafeReportFilter({ cleansedSubstitute: 5 } as never)).to.throw(TypeError, /cleansedSubstitute must be a string/);
      expect(() => new SafeReportFilter(null as never)).to.throw(TypeError, /options must be an object/);
      const given = new SafeReportFilter({ hiddenKeys: /pin/i, cleansedSubstitute: '#', secretPatterns: [] });
      expect(given).to.include({ cleansedSubstitute: '#' });
      expect(given.cleanseText('pin=1 password=2')).to.equal('pin=# password=2');
    });
  });

  describe('subclasses', () => {
    it('a subclass with its own isHiddenKey gets the text rules on every text, whatever hiddenKeys says', () => {
      class ExactNames extends SafeReportFilter {
        override isHiddenKey(name: string): boolean {
          return name === 'pin';
        }
      }
      expect(new ExactNames().cleanseText('login pin=4321 password=visible')).to.equal(`login pin=${SUB} password=visible`);
    });

    class StrictFilter extends SafeReportFilter {
      override cleansedSubstitute = '[hidden]';
      override hiddenKeys = /^(email|phone)$/gi;
    }

    it('can change the substitute and the hidden keys (a /g pattern included)', () => {
      const report = sampleReport({
        request: sampleRequest({ body: { email: 'a@b.c', phone: '555', password: 'visible-now' }, headers: { email: 'x', phone: 'y' } }),
      });
      const cleansed = new StrictFilter().cleanse(report);
      expect(cleansed.request!.body).to.deep.equal({ email: '[hidden]', phone: '[hidden]', password: 'visible-now' });
      expect(cleansed.request!.headers).to.deep.equal({ email: '[hidden]', phone: '[hidden]' });
      expect(new StrictFilter().cleanseText('https://u:p@h/')).to.equal('https://[hidden]@h/');
    });

    it('can turn filtering off, except for headers', () => {
      class Relaxed extends SafeReportFilter {
        override isActive(): boolean {
          return false;
        }
      }
      const report = sampleReport({
        request: sampleRequest({ headers: { cookie: 'sid=1' }, body: { password: 'p' }, query: { token: 't' } }),
        error: sampleError({ message: 'https://u:p@h/' }),
      });
      const cleansed = new Relaxed().cleanse(report);
      expect(cleansed.request!.headers).to.deep.equal({ cookie: SUB });
      expect(cleansed.request!.body).to.deep.equal({ password: 'p' });
      expect(cleansed.request!.query).to.deep.equal({ token: 't' });
      expect(cleansed.error!.message).to.equal('https://u:p@h/');
    });
  });
});
