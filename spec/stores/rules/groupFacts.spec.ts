import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { filedAt, upstreamOf, userKey, visitorKey } from '../../../lib/stores/rules/groupFacts';
import { makeReport, sampleError, sampleRequest } from '../../support/reports';

const NOW = new Date(Date.UTC(2030, 0, 1));

describe('groupFacts', () => {
  it('files a report at its time, or at now when that is invalid or past the skew', () => {
    const policy = { now: NOW, maxClockSkewMs: 60_000 };
    expect(filedAt(makeReport({ timestamp: '2029-12-31T00:00:00.000Z' }), policy).toISOString()).to.equal('2029-12-31T00:00:00.000Z');
    expect(filedAt(makeReport({ timestamp: new Date(NOW.getTime() + 59_000).toISOString() }), policy).getTime()).to.equal(NOW.getTime() + 59_000);
    expect(filedAt(makeReport({ timestamp: '2100-01-01T00:00:00.000Z' }), policy)).to.deep.equal(NOW);
    expect(filedAt(makeReport({ timestamp: 'yesterday' }), policy)).to.deep.equal(NOW);
  });

  it('hashes an anonymous client IP under the key, never showing it; reports with a user are not visitors', () => {
    const key = randomBytes(32);
    const anonymous = { id: null, username: 'Anonymous' };
    const hash = visitorKey(makeReport({ user: anonymous, request: sampleRequest({ ip: '203.0.113.5' }) }), key);
    expect(hash).to.match(/^[A-Za-z0-9_-]{22}$/);
    expect(visitorKey(makeReport({ user: anonymous, request: sampleRequest({ ip: '::ffff:203.0.113.5' }) }), key)).to.equal(hash);
    expect(visitorKey(makeReport({ user: anonymous, request: sampleRequest({ ip: '203.0.113.5' }) }), randomBytes(32)), 'another key, another hash').to.not.equal(hash);
    expect(visitorKey(makeReport({ user: { id: '1', username: 'ann' }, request: sampleRequest({ ip: '203.0.113.5' }) }), key)).to.equal(null);
    expect(visitorKey(makeReport({ user: anonymous, request: null }), key)).to.equal(null);
    expect(userKey(makeReport({ user: { id: null, username: 'bob' } }))).to.equal('name:bob');
  });

  it('keeps the upstream of an HTTP client error as method, host and status', () => {
    const http = { client: 'axios' as const, method: 'POST', url: 'https://api.example:8443/v1/pay?key=[Filtered]', status: 503, statusText: null, code: null, requestHeaders: {}, responseHeaders: {} };
    expect(upstreamOf(makeReport({ error: sampleError({ http }) }))).to.deep.equal({ method: 'POST', host: 'api.example:8443', status: 503 });
    expect(upstreamOf(makeReport({ error: sampleError({ http: { ...http, url: 'not a url', status: null } }) }))).to.deep.equal({ method: 'POST', host: null, status: null });
    expect(upstreamOf(makeReport())).to.equal(null);
  });
});
