// Issue 11 §3, shapes: secrets recognisable by their form alone, wherever they appear.
import { expect } from 'chai';
import { buildErrorReport } from '../../lib/report/buildErrorReport';
import { reportOptions } from '../../lib/report/reportOptions';
import { SafeReportFilter } from '../../lib/report/scrub/SafeReportFilter';
import { DEFAULT_SECRET_PATTERNS, passesLuhn } from '../../lib/report/scrub/secretShapes';
import { expectNoSecrets, requestContext } from '../support/planted';

// Built at run time so no scanner mistakes this file for a leak.
const SHAPES = {
  jwt: ['eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9', 'eyJzdWIiOiIxMjM0NTY3ODkwIn0', 'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'].join('.'),
  aws: 'AKIA' + 'IOSFODNN7EXAMPLE',
  pem: ['-----BEGIN RSA PRIVATE KEY-----', 'MIIEowIBAAKCAQEAplantedpemkeybody', '-----END RSA PRIVATE KEY-----'].join('\n'),
  card: '4111 1111 1111 1111',
  cardDashed: '5500-0000-0000-0004',
  github: 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8',
  githubPat: 'github_pat_' + '11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz',
  slack: 'xoxb-' + '123456789012-1234567890123-AbCdEfGhIjKlMnOp',
  stripe: 'sk_live_' + '4eC39HqLyjWDarjtT1zdp7dc',
  google: 'AIza' + 'SyD-planted-google-key-0123456789abc',
};

describe('security: secret shapes', () => {
  const filter = new SafeReportFilter();

  it('masks every default shape in free text', () => {
    for (const [name, secret] of Object.entries(SHAPES)) {
      const out = filter.cleanseText(`upstream failed (${secret}) at step 3`);
      expect(out, name).not.to.include(secret);
      expect(out, name).to.include('at step 3');
    }
  });

  it('masks shapes wherever the report holds them: message, stack, extras, headers, body', () => {
    const err = Object.assign(new Error(`token ${SHAPES.jwt} expired`), { note: `key ${SHAPES.aws}`, keyFile: SHAPES.pem });
    const ctx = requestContext('POST', '/pay', { 'x-note': SHAPES.stripe });
    (ctx.request as { body?: unknown }).body = { comment: `card ${SHAPES.card}`, repo: SHAPES.github };
    const report = buildErrorReport(err, ctx, reportOptions({ environment: 'test', release: null }));
    expectNoSecrets(report, SHAPES);
  });

  it('leaves numbers that fail the Luhn check, timestamps and ids alone', () => {
    expect(passesLuhn('4111111111111111')).to.equal(true);
    expect(passesLuhn('4111111111111112')).to.equal(false);
    // 1764624000006 passes Luhn: a millisecond timestamp, not a card (no network's numbers start with 1).
    expect(passesLuhn('1764624000006')).to.equal(true);
    for (const text of ['order 4111111111111112 failed', 'expired at 1764624000006', 'at 2026-12-01T21:41:26.123Z', 'user 123456 not found', 'v1.2.3']) {
      expect(filter.cleanseText(text)).to.equal(text);
    }
  });

  it('masks card numbers sent as JSON numbers (13–19 digits, Luhn) in the body and extras, and keeps other numbers', () => {
    const ctx = requestContext('POST', '/pay');
    (ctx.request as { body?: unknown }).body = { card: 4111111111111111, amex: 378282246310005, amount: 4200, orderId: 4111111111111112, at: 1764624000006 };
    const err = Object.assign(new Error('declined'), { attempt: { card: 5500000000000004, n: 3 } });
    const report = buildErrorReport(err, ctx, reportOptions({ environment: 'test', release: null }));
    expectNoSecrets(report, ['4111111111111111', '378282246310005', '5500000000000004']);
    expect(report.request!.body).to.deep.include({ amount: 4200, orderId: 4111111111111112, at: 1764624000006 });
    expect((report.request!.body as Record<string, unknown>).card).to.equal('********************');
    expect(report.error!.extra.attempt).to.deep.equal({ card: '********************', n: 3 });
    expect(new SafeReportFilter({ secretPatterns: [] }).cleanseNumber(4111111111111111)).to.equal(4111111111111111);
  });

  it('is overridable: secretPatterns [] turns shape detection off, a custom list adds shapes', () => {
    expect(new SafeReportFilter({ secretPatterns: [] }).cleanseText(`key ${SHAPES.aws}`)).to.include(SHAPES.aws);
    const custom = new SafeReportFilter({
      secretPatterns: [...DEFAULT_SECRET_PATTERNS, { name: 'internal', trigger: 'itk_', pattern: /\bitk_[a-z0-9]{8,}/g }],
    });
    expect(custom.cleanseText('itk_abcdef123456 and ' + SHAPES.slack)).to.equal('******************** and ********************');
    class Stricter extends SafeReportFilter {
      override secretPatterns = [{ name: 'ticket', trigger: 'TCK-', pattern: /TCK-\d+/g }];
    }
    expect(new Stricter().cleanseText(`TCK-42 ${SHAPES.aws}`)).to.equal(`******************** ${SHAPES.aws}`);
  });

  it('rejects unusable options at construction, naming the fix', () => {
    expect(() => new SafeReportFilter({ secretPatterns: [{ name: 'x', trigger: 'x', pattern: /x/ }] })).to.throw(TypeError, /global RegExp/);
    expect(() => new SafeReportFilter({ secretPaterns: [] } as never)).to.throw(TypeError, /did you mean `secretPatterns`/);
    expect(() => new SafeReportFilter({ hiddenKeys: 'TOKEN' } as never)).to.throw(TypeError, /RegExp/);
  });
});
