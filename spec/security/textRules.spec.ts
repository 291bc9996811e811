// Issue 11 §3, text: credentials inside strings, as Node apps really produce them.
import { expect } from 'chai';
import { buildErrorReport } from '../../lib/report/buildErrorReport';
import { reportOptions } from '../../lib/report/reportOptions';
import { SafeReportFilter } from '../../lib/report/scrub/SafeReportFilter';
import { expectNoSecrets } from '../support/planted';

const SUB = '********************';
const filter = new SafeReportFilter();

describe('security: text rules', () => {
  const options = reportOptions({ environment: 'test', release: null });

  it('ends a key=value value at , ; & whitespace or its quote and catches the next pair', () => {
    expect(filter.cleanseText('connect failed: host=db,user=app,password=S3cr3t-pg,port=5432')).to.equal(`connect failed: host=db,user=app,password=${SUB},port=5432`);
    expect(filter.cleanseText('dsn: host=db;password=p1;token=t1 next')).to.equal(`dsn: host=db;password=${SUB};token=${SUB} next`);
    expect(filter.cleanseText('login password="two words" user=ada')).to.equal(`login password="${SUB}" user=ada`);
    expect(filter.cleanseText("config secret='q-9' region=eu")).to.equal(`config secret='${SUB}' region=eu`);
  });

  it('masks a key=value pair inside the quoted or unquoted value of another pair (DSNs, redirect targets)', () => {
    expect(filter.cleanseText("connect dsn='host=db password=dsn-pw-1 user=app' failed")).to.equal(`connect dsn='host=db password=${SUB} user=app' failed`);
    expect(filter.cleanseText('pg: conn="dbname=app sslmode=require password=dsn-pw-2"')).to.equal(`pg: conn="dbname=app sslmode=require password=${SUB}"`);
    expect(filter.cleanseText('GET /login?next=/account?token=next-tok-3')).to.equal(`GET /login?next=/account?token=${SUB}`);
    expect(filter.cleanseText("opts=\"dsn='password=dsn-pw-4'\"")).to.not.include('dsn-pw-4');
    expect(filter.cleanseText('a=b=c=d region=eu')).to.equal('a=b=c=d region=eu');
  });

  it('masks JSON pairs under hidden keys whatever the value', () => {
    const text = 'upstream: {"user":"ada","password":4006279447,"apiKeys":["k1","k2"],"secret":{"a":{"b":"deep"}},"token":null,"tokenExp":true,"n":1}';
    const out = filter.cleanseText(text);
    expectNoSecrets(out, ['4006279447', 'k1', 'k2', 'deep']);
    expect(out).to.include('"user":"ada"').and.include('"n":1');
    expect(JSON.parse(out.slice('upstream: '.length))).to.deep.equal({ user: 'ada', password: SUB, apiKeys: SUB, secret: SUB, token: SUB, tokenExp: SUB, n: 1 });
  });

  it('masks pairs inside escaped JSON (a body quoted by JSON.stringify twice)', () => {
    const inner = JSON.stringify({ password: 'esc-pass-91', nested: { api_key: 'esc-key-17', keep: 'ok' }, pin: 7 });
    const twice = JSON.stringify(JSON.stringify({ body: inner }));
    const out = filter.cleanseText(`upstream said ${twice}`);
    expectNoSecrets(out, ['esc-pass-91', 'esc-key-17']);
    expect(out).to.include('keep');
    const quoted = filter.cleanseText(String.raw`{\"password\":\"with \\\"quote\\\" inside\",\"ok\":1}`);
    expect(quoted).to.equal(String.raw`{\"password\":\"${SUB}\",\"ok\":1}`);
  });

  it('masks prose and inspected-object pairs', () => {
    expect(filter.cleanseText('login failed, password: hunter2 was rejected')).to.equal(`login failed, password: ${SUB} was rejected`);
    expect(filter.cleanseText("{ user: 'ada', password: 'pw-in-inspect' }")).to.equal(`{ user: 'ada', password: '${SUB}' }`);
    expect(filter.cleanseText('at handler (/app/lib/keys.ts:12:3)')).to.equal('at handler (/app/lib/keys.ts:12:3)');
    // A pair that is not hidden does not swallow the one in its value (found by the property spec).
    expect(filter.cleanseText(' a: a: sent Authorization: Token prose-tok-1 sent')).to.equal(` a: a: sent Authorization: Token ${SUB} sent`);
    expect(filter.cleanseText('x: y password: p1 token: prose-tok-2')).to.equal(`x: y password: ${SUB} token: ${SUB}`);
  });

  it('masks Authorization-style headers with any scheme', () => {
    expect(filter.cleanseText('Authorization: Token tok-abc-123')).to.equal(`Authorization: Token ${SUB}`);
    expect(filter.cleanseText('proxy-authorization: Digest username="x"')).to.not.include('username="x"');
    expect(filter.cleanseText('Authorization: AWS4-HMAC-SHA256 Credential=AK/2024')).to.not.include('AK/2024');
    expect(filter.cleanseText('sent Bearer b-123 upstream')).to.equal(`sent Bearer ${SUB} upstream`);
  });

  it('masks non-string values under hidden keys in the message of a thrown object', () => {
    const report = buildErrorReport({ password: 4006279447, pin: [1, 2, 3], note: 'kept' }, undefined, options);
    expectNoSecrets(report, ['4006279447']);
    expect(report.error!.message).to.include('"note":"kept"');
    expect(report.error!.extra).to.deep.include({ password: SUB });
  });
});
