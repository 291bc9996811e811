import { expect } from 'chai';
import { maskAuthSchemes, maskJsonPairs, maskKeyValues, maskProsePairs, maskUrlUserinfo, type KeyRule } from '../../../lib/report/scrub/textRules';

const S = '***';
const rule: KeyRule = { isHidden: (name) => /pass|secret|token|auth/i.test(name), substitute: S };

describe('textRules', () => {
  it('masks the userinfo of URLs, plain and percent-encoded', () => {
    expect(maskUrlUserinfo('cannot reach postgres://app:PASSWORD@db:5432/x', S)).to.equal(`cannot reach postgres://${S}@db:5432/x`);
    expect(maskUrlUserinfo('next=https%3A%2F%2Fu%3Apw%40host', S)).to.equal(`next=https%3A%2F%2F${S}%40host`);
    expect(maskUrlUserinfo('at node_modules/@scope/pkg/index.js', S)).to.equal('at node_modules/@scope/pkg/index.js');
  });

  it('masks name=value pairs under hidden names only', () => {
    expect(maskKeyValues('host=db,user=app,password=S3cret;x=1', rule)).to.equal(`host=db,user=app,password=${S};x=1`);
    expect(maskKeyValues('/login?user=a&token=abc&page=2', rule)).to.equal(`/login?user=a&token=${S}&page=2`);
    expect(maskKeyValues('a=1 b=2', rule)).to.equal('a=1 b=2');
  });

  it('masks prose pairs and auth schemes', () => {
    expect(maskProsePairs("{ password: 'hunter2', name: 'al' }", rule)).to.not.include('hunter2');
    expect(maskProsePairs("{ password: 'hunter2', name: 'al' }", rule)).to.include("name: 'al'");
    expect(maskProsePairs('at file.ts:12:3', rule)).to.equal('at file.ts:12:3');
    expect(maskAuthSchemes('sent Authorization Bearer abc.def-ghi', S)).to.equal(`sent Authorization Bearer ${S}`);
  });

  it('masks JSON pairs under hidden keys whatever the value, quoted JSON included', () => {
    const body = '{"user":"al","password":"hunter2","secret":{"a":[1,2]},"n":3}';
    const masked = maskJsonPairs(`upstream said ${body}`, rule);
    expect(masked).to.not.include('hunter2');
    expect(masked).to.not.include('[1,2]');
    expect(masked).to.include('"user":"al"');
    expect(masked).to.include('"n":3');
    expect(maskJsonPairs(JSON.stringify(body), rule)).to.not.include('hunter2');
  });
});
