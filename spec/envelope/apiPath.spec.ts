import { expect } from 'chai';
import { compileMatchers, DEFAULT_API_PATH } from '../../lib/envelope/apiPath';

describe('apiPath', () => {
  it('matches the segment "api" at the start or after any prefix, and nothing else', () => {
    const isApi = compileMatchers(DEFAULT_API_PATH);
    for (const path of ['/api', '/api/', '/api/x', '/v1/api/x', '/v1/api']) expect(isApi(path), path).to.equal(true);
    for (const path of ['/apiary', '/rapid/api-docs', '/', '/v1/apis/x', '/x-api']) expect(isApi(path), path).to.equal(false);
  });

  it('matches string prefixes on segment boundaries', () => {
    const isApi = compileMatchers(['/v2', '/internal/']);
    expect(isApi('/v2')).to.equal(true);
    expect(isApi('/v2/users')).to.equal(true);
    expect(isApi('/v2x')).to.equal(false);
    expect(isApi('/internal/jobs')).to.equal(true);
    expect(compileMatchers('/')('/anything')).to.equal(true);
  });

  it('is not confused by a global RegExp', () => {
    const isApi = compileMatchers(/^\/rpc/g);
    expect([isApi('/rpc'), isApi('/rpc'), isApi('/rpc')]).to.deep.equal([true, true, true]);
  });

  it('refuses entries that are neither RegExps nor absolute prefixes', () => {
    expect(() => compileMatchers(['api'])).to.throw(TypeError, /match entries/);
    expect(() => compileMatchers([42 as unknown as string])).to.throw(TypeError);
  });
});
