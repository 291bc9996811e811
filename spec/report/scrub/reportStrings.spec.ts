import { expect } from 'chai';
import { cleanseReportStrings, type ValueRules } from '../../../lib/report/scrub/reportStrings';
import { maskHiddenKeys } from '../../../lib/report/scrub/maskHiddenKeys';
import type { Report } from '../../../lib/report/Report';
import { expectNoSecrets } from '../../support/planted';
import { sampleError, sampleReport, sampleRequest } from '../../support/reports';

const UNFILTERABLE = '[unfilterable]';
/** A card number sent as a JSON number. */
const CARD = 4111111111111111;

/** Rules that mask the planted word, the planted card number and values under token names, noting every value they were given. */
function maskingRules(): ValueRules & { texts: string[]; numbers: number[] } {
  const texts: string[] = [];
  const numbers: number[] = [];
  return {
    texts,
    numbers,
    keys: (fields) => maskHiddenKeys(fields, { isHidden: (key) => /token|password/i.test(key), substitute: '***' }) as Record<string, unknown>,
    text(text) {
      texts.push(text);
      return text.replaceAll('hunter2', '***');
    },
    number(value) {
      numbers.push(value);
      return value === CARD ? '***' : value;
    },
  };
}

const sampleHttp = () => ({
  client: 'axios' as const, method: 'GET', url: 'https://api.example.com/x', status: 502, statusText: 'Bad Gateway', code: null, requestHeaders: {}, responseHeaders: {},
});

const cleanse = (report: Report, rules: ValueRules = maskingRules()) => cleanseReportStrings(report, rules, UNFILTERABLE);

/** A report with a planted secret (named after its place) in every place a report holds text. */
function reportWithSecretsEverywhere(): { report: Report; secrets: string[] } {
  const secrets: string[] = [];
  const s = (place: string) => {
    secrets.push(`hunter2@${place}`);
    return `hunter2@${place}`;
  };
  const frame = { file: s('frame-file'), line: 4, column: 2, function: s('frame-function'), inApp: true, context: { pre: [s('context-pre')], line: s('context-line'), post: [s('context-post')] } };
  const part = (where: string) => ({
    ...sampleError({ type: s(`${where}-type`), message: s(`${where}-message`), stack: s(`${where}-stack`), frames: [frame] }),
    extra: { [s(`${where}-extra-key`)]: { list: [s(`${where}-extra-deep`), CARD] } },
  });
  const report = {
    ...sampleReport({
      title: s('title'),
      error: {
        ...part('error'),
        cause: [part('cause')],
        errors: [part('aggregated')],
        http: {
          client: s('http-client'), method: s('http-method'), url: s('http-url'), status: 502, statusText: s('http-status-text'), code: s('http-code'),
          requestHeaders: { [s('http-request-header-name')]: s('http-request-header') }, responseHeaders: { 'retry-after': s('http-response-header') },
        },
        addedByHand: { note: s('error-added-field') },
      } as Report['error'],
      request: sampleRequest({
        method: s('request-method'), url: s('request-url'), path: s('request-path'), ip: s('request-ip'),
        userAgent: s('user-agent'), referer: s('referer'), requestId: s('request-id'), route: s('route'),
        query: { [s('query-key')]: [s('query-value'), CARD] },
        headers: { [s('header-name')]: s('header-value') },
        body: { [s('body-key')]: { deep: [s('body-deep'), CARD, 7] } },
      }),
      brokenLink: { url: s('broken-link-url'), referer: s('broken-link-referer'), internal: true },
      user: { id: s('user-id'), username: s('username') },
      grouping: { rule: 'frames', detail: s('grouping-detail') },
    }),
    addedByHand: [{ [s('report-added-key')]: s('report-added-value') }],
  } as Report;
  return { report, secrets };
}

describe('cleanseReportStrings', () => {
  it('runs the text rule over every string a report holds, keys of data included: no planted secret survives', () => {
    const { report, secrets } = reportWithSecretsEverywhere();
    const cleansed = cleanse(report);

    expectNoSecrets(cleansed, secrets);
    expect(secrets.length, 'secrets planted').to.be.above(40);
    expect(cleansed.request!.body, 'the shape is kept, only strings changed').to.deep.equal({ '***@body-key': { deep: ['***@body-deep', '***', 7] } });
    expect(cleansed.error!.frames[0]).to.include({ line: 4, column: 2, inApp: true, file: '***@frame-file' });
  });

  it('hands the numbers of data to the number rule (a card number sent as a JSON number is masked)', () => {
    const rules = maskingRules();
    const cleansed = cleanse(reportWithSecretsEverywhere().report, rules);

    expect(JSON.stringify(cleansed)).not.to.include(String(CARD));
    expect(rules.numbers.filter((n) => n === CARD)).to.have.length(5); // query, body, error, cause and aggregated extras
  });

  it('walks a field a hand-built report added to any of its parts as data, keys and values: the key, text and number rules apply', () => {
    const secrets: string[] = [];
    // Each added field holds a token under a hidden name, a planted text in a key and in a
    // nested value, and a card number; a field named by a hidden name holds a plain value.
    const added = (place: string) => {
      secrets.push(`tok-${place}`, `hunter2@${place}-key`, `hunter2@${place}-deep`, `pw-${place}`);
      return {
        session: { token: `tok-${place}`, [`hunter2@${place}-key`]: [{ deep: `hunter2@${place}-deep` }, CARD] },
        password: `pw-${place}`,
      };
    };
    const part = (where: string) => ({
      ...sampleError({ frames: [{ file: 'lib/a.ts', line: 1, column: 2, function: 'f', inApp: true, ...added(`${where}-frame`) }] }),
      ...added(where),
    });
    const report = {
      ...sampleReport({
        error: {
          ...part('error'),
          cause: [part('cause')],
          errors: [part('aggregated')],
          http: { ...sampleHttp(), ...added('http') },
        } as Report['error'],
        request: { ...sampleRequest(), ...added('request') },
        brokenLink: { url: '/old', referer: '/home', internal: true, ...added('broken-link') },
        user: { id: '7', username: 'ada', ...added('user') },
        grouping: { rule: 'frames', detail: 'f', ...added('grouping') },
      }),
      ...added('report'),
    } as Report;
    const rules = maskingRules();
    const cleansed = cleanse(report, rules);

    expectNoSecrets(cleansed, secrets);
    expect(JSON.stringify(cleansed)).not.to.include(String(CARD));
    expect((cleansed.request as unknown as Record<string, unknown>).session, 'the shape is kept').to.deep.equal({
      token: '***', '***@request-key': [{ deep: '***@request-deep' }, '***'],
    });
    expect(cleansed.error!.frames[0]).to.include({ file: 'lib/a.ts', line: 1, column: 2, function: 'f', inApp: true, password: '***' });
    expect(rules.numbers, 'only the added cards: the numbers the builders made (line, column, status) are copied').to.deep.equal(Array(12).fill(CARD));
  });

  it('walks an object a hand-built report put where its shape has text, under the key rules too', () => {
    const report = sampleReport({
      title: { token: 'tok-title', note: 'hunter2@title' } as never,
      request: sampleRequest({ url: { token: 'tok-url', note: 'hunter2@url' } as never }),
      user: { id: ['hunter2@user-id'] as never, username: { token: 'tok-username' } as never },
      error: sampleError({ message: { password: 'tok-message' } as never, frames: [{ file: { token: 'tok-file' } as never, line: 1, column: 1, function: null, inApp: true }] }),
    });

    expectNoSecrets(cleanse(report), ['hunter2', 'tok-']);
  });

  it('copies the fields the builders make themselves as they are, without running the rules over them', () => {
    const alert = { reason: 'digest' as const, suppressed: 2, windowMs: 600_000, count: 9 };
    const report = sampleReport({ fingerprint: 'fp-e3b0c442', environment: 'production', release: 'v1.4.2', host: 'web-1', occurrences: 3, alert, request: null, error: null });
    const rules = maskingRules();
    const cleansed = cleanse(report, rules);

    expect(cleansed).to.deep.equal(report);
    expect(cleansed.alert).to.equal(alert);
    expect(rules.texts).to.deep.equal([report.title, 'Anonymous']);
    expect(rules.numbers).to.deep.equal([]);
  });

  it('leaves the report it is given untouched', () => {
    const { report } = reportWithSecretsEverywhere();
    const before = JSON.stringify(report);
    cleanse(report);
    expect(JSON.stringify(report)).to.equal(before);
  });

  it('filters a hand-built report whose parts have unexpected shapes', () => {
    const report = {
      ...sampleReport(),
      request: 'GET /reset?password=hunter2',
      user: 'hunter2@user',
      brokenLink: ['hunter2@link'],
      error: { ...sampleError(), frames: { top: 'hunter2@frames-object' }, cause: 'hunter2@cause-string' },
    } as unknown as Report;
    const withStringFrame = sampleReport({ error: sampleError({ frames: ['hunter2@frame-string' as never] }) });

    expectNoSecrets(cleanse(report), ['hunter2']);
    expectNoSecrets(cleanse(withStringFrame), ['hunter2']);
  });

  it('filters an error, a cause or an aggregated error that is not an object as a value, never split into characters', () => {
    const rules = maskingRules();
    expect(cleanse(sampleReport({ error: 'password hunter2' as never }), rules).error).to.equal('password ***');
    expect(rules.texts, 'the text rule saw the whole text').to.include('password hunter2');

    const nested = cleanse(sampleReport({ error: sampleError({ cause: ['token=hunter2' as never, CARD as never], errors: [['hunter2@list'] as never] }) }));
    expect(nested.error!.cause).to.deep.equal(['token=***', '***']);
    expect(nested.error!.errors).to.deep.equal([['***@list']]);
  });

  it('turns a value whose rule throws into the unfilterable marker, never its raw value, and filters the rest', () => {
    const rules: ValueRules = {
      text: (text) => {
        if (text.includes('trips')) throw new Error('rule bug');
        return text.replaceAll('hunter2', '***');
      },
      number: (value) => {
        if (value === 13) throw new Error('rule bug');
        return value;
      },
      keys: (fields) => fields,
    };
    const report = sampleReport({
      title: 'trips hunter2',
      request: sampleRequest({ body: { note: 'trips hunter2', ['trips-key hunter2']: 1, n: 13, fine: 'hunter2' } }),
    });
    const cleansed = cleanse(report, rules);

    expect(cleansed.title).to.equal(UNFILTERABLE);
    expect(cleansed.request!.body).to.deep.equal({ note: UNFILTERABLE, [UNFILTERABLE]: 1, n: UNFILTERABLE, fine: '***' });
  });

  describe('hostile data', () => {
    const bodyOf = (body: unknown) => cleanse(sampleReport({ request: sampleRequest({ body }) })).request!.body as Record<string, unknown>;

    it('cuts a cycle at the object seen again, and still copies an object reached twice without a cycle', () => {
      const shared = { note: 'hunter2' };
      const body: Record<string, unknown> = { name: 'hunter2', a: shared, b: [shared] };
      body.self = body;
      body.list = [1, body];
      const cleansed = bodyOf(body);

      expect(cleansed).to.deep.equal({ name: '***', a: { note: '***' }, b: [{ note: '***' }], self: UNFILTERABLE, list: [1, UNFILTERABLE] });
      expect(() => JSON.stringify(cleansed)).not.to.throw();
    });

    it('turns a getter that throws, or an object whose keys cannot be read, into the marker, and filters its siblings', () => {
      const trap = () => {
        throw new Error('trap');
      };
      const hostile = new Proxy({}, { ownKeys: trap, get: trap, getOwnPropertyDescriptor: trap });
      const body = { get boom(): never { return trap(); }, proxy: hostile, note: 'hunter2' };

      expect(bodyOf(body)).to.deep.equal({ boom: UNFILTERABLE, proxy: UNFILTERABLE, note: '***' });
    });

    it("lets a throw from the report's own fields out to its caller, rather than return a copy holding raw values", () => {
      const report = sampleReport({ title: 'hunter2' });
      Object.defineProperty(report, 'user', { enumerable: true, get: () => { throw new Error('trap'); } });
      expect(() => cleanse(report)).to.throw('trap');
    });

    it('cuts nesting without end at a bounded depth, without exhausting the stack', () => {
      let deep: Record<string, unknown> = { note: 'hunter2' };
      for (let i = 0; i < 100_000; i++) deep = { child: deep };
      let level: unknown = bodyOf(deep);
      let depth = 0;
      while (level && typeof level === 'object') {
        level = (level as { child: unknown }).child;
        depth++;
      }

      expect(level).to.equal(UNFILTERABLE);
      expect(depth).to.be.within(8, 100);
    });

    it('walks a sparse array by the items it holds, not by its length: its holes are left out and counted', () => {
      const far: unknown[] = ['hunter2@first'];
      far[1e8] = 'hunter2@last';
      const holes: unknown[] = ['a'];
      holes[2] = 'hunter2';
      holes[5] = 'c';
      const cleansed = bodyOf({ far, holes });

      expect((cleansed.far as unknown[]).length, 'no copy as long as the array').to.equal(3);
      expect(cleansed.far).to.deep.equal(['***@first', '***@last', '[99999999 empty items]']);
      expect(cleansed.holes).to.deep.equal(['a', '***', 'c', '[3 empty items]']);

      const frames: unknown[] = [];
      frames[1e8] = { file: 'hunter2.ts', line: 1, column: 1, function: null, inApp: true };
      const causes: unknown[] = [];
      causes[1e8] = sampleError({ message: 'hunter2' });
      const error = cleanse(sampleReport({ error: sampleError({ frames: frames as never, cause: causes as never }) })).error!;
      expect(error.frames).to.have.length(2);
      expect(error.frames[0]).to.include({ file: '***.ts' });
      expect(error.cause).to.have.length(2);
      expect(error.cause[0]).to.include({ message: '***' });
    });

    it('filters every item of a huge array, giving back no more than it was given', () => {
      const items = Array.from({ length: 200_000 }, (_, i) => (i % 2 ? `hunter2-${i}` : i));
      const cleansed = bodyOf({ items }).items as unknown[];

      expect(cleansed).to.have.length(items.length);
      expect(cleansed.filter((item) => typeof item === 'string' && item.includes('hunter2'))).to.deep.equal([]);
      expect(cleansed[199_999]).to.equal('***-199999');
    });
  });
});
