// Issue 11 §3: HTTP client errors reported by what matters, never by their plumbing.
import { expect } from 'chai';
import axios from 'axios';
import http from 'node:http';
import net from 'node:net';
import { buildErrorReport } from '../../lib/report/buildErrorReport';
import { reportOptions } from '../../lib/report/reportOptions';
import { expectNoSecrets, requestContext, upstream } from '../support/planted';

const SECRETS = {
  apiKey: 'planted-x-api-key-3c1e',
  bearer: 'planted-authorization-bearer-77d0',
  setCookie: 'planted-upstream-set-cookie-a41b',
  authToken: 'planted-x-auth-token-5e92',
  queryKey: 'planted-query-api-key-0b6d',
};

describe('security: HTTP client errors', () => {
  const options = reportOptions({ environment: 'test', release: null });
  let bad: Awaited<ReturnType<typeof upstream>>;

  before(async () => {
    bad = await upstream((_req, res) => {
      res.writeHead(502, 'Bad Gateway', {
        'set-cookie': `upstream-session=${SECRETS.setCookie}; HttpOnly`,
        'x-auth-token': SECRETS.authToken,
        'content-type': 'text/plain',
        'x-request-id': 'upstream-req-1',
      });
      res.end('bad gateway');
    });
  });
  after(() => bad.close());

  async function axiosFailure(): Promise<unknown> {
    try {
      await axios.get(`${bad.url}/v1/charge?api_key=${SECRETS.queryKey}&page=2`, {
        headers: { 'X-Api-Key': SECRETS.apiKey, Authorization: `Bearer ${SECRETS.bearer}`, Accept: 'application/json' },
      });
    } catch (err) {
      return err;
    }
    throw new Error('the upstream was expected to answer 502');
  }

  it('reports a real axios 502 as method, scrubbed URL, status, status text, code and a scrubbed header subset', async () => {
    const err = await axiosFailure();
    const report = buildErrorReport(err, requestContext(), options);
    expectNoSecrets(report, SECRETS);
    const info = report.error!.http!;
    expect(info).to.include({ client: 'axios', method: 'GET', status: 502, statusText: 'Bad Gateway', code: 'ERR_BAD_RESPONSE' });
    expect(info.url).to.match(/\/v1\/charge\?api_key=\*+&page=2$/);
    expect(info.requestHeaders).to.include({ accept: 'application/json', 'x-api-key': '********************', authorization: '********************' });
    expect(info.responseHeaders).to.include({ 'x-request-id': 'upstream-req-1', 'set-cookie': '********************', 'x-auth-token': '********************' });
    // Neither the config, the request nor the response is copied.
    expect(report.error!.extra).not.to.have.any.keys('config', 'request', 'response');
    expect(JSON.stringify({ ...report.error, stack: null, frames: [] })).not.to.match(/_header|rawHeaders|ClientRequest|IncomingMessage|Socket|Agent/);
  });

  it('never copies a ClientRequest, IncomingMessage, Socket or Agent, whatever error carries it', async () => {
    const err = (await axiosFailure()) as { request: http.ClientRequest; response: { request: unknown } };
    const carrier = Object.assign(new Error('carries plumbing'), {
      nested: { req: err.request, socket: new net.Socket(), agent: new http.Agent(), upstream: err.response.request },
    });
    const report = buildErrorReport(carrier, undefined, options);
    expectNoSecrets(report, SECRETS);
    expect(report.error!.extra.nested).to.deep.equal({ req: '[ClientRequest]', socket: '[Socket]', agent: '[Agent]', upstream: '[ClientRequest]' });
  });

  it('summarises an error that carries node:http objects (superagent style)', async () => {
    const req = http.request(`${bad.url}/hook?token=${SECRETS.queryKey}`, { headers: { authorization: `Bearer ${SECRETS.bearer}` } });
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => { req.on('response', resolve).on('error', reject).end(); });
    res.resume();
    const err = Object.assign(new Error('Bad Gateway'), { status: 502, req, res, rawHeaders: res.rawHeaders });
    const report = buildErrorReport(err, undefined, options);
    expectNoSecrets(report, SECRETS);
    expect(report.error!.http).to.include({ client: 'node:http', method: 'GET', status: 502, statusText: 'Bad Gateway' });
    expect(report.error!.extra).to.deep.equal({ rawHeaders: '[raw headers]' });
  });

  it('reports fetch failures with the code of their cause', async () => {
    const closed = await upstream(() => {});
    const url = closed.url;
    await closed.close();
    const err = await fetch(`${url}/x?token=${SECRETS.queryKey}`).catch((failure: unknown) => failure);
    const report = buildErrorReport(err, undefined, options);
    expect(report.error!.http).to.include({ client: 'fetch', code: 'ECONNREFUSED' });
    expect(report.error!.cause[0].type).to.be.a('string');
    expectNoSecrets(report, SECRETS);
  });

  it('recognises got-shaped errors (HTTPError with options and response)', () => {
    const err = Object.assign(new Error('Response code 502 (Bad Gateway)'), {
      name: 'HTTPError',
      code: 'ERR_NON_2XX_3XX_RESPONSE',
      options: { method: 'POST', url: new URL(`https://api.test/pay?token=${SECRETS.queryKey}`), headers: { authorization: `Bearer ${SECRETS.bearer}` } },
      response: { statusCode: 502, statusMessage: 'Bad Gateway', headers: { 'set-cookie': [SECRETS.setCookie] }, rawHeaders: [SECRETS.setCookie] },
      timings: { start: 1 },
    });
    const report = buildErrorReport(err, undefined, options);
    expectNoSecrets(report, SECRETS);
    expect(report.error!.http).to.include({ client: 'got', method: 'POST', status: 502, code: 'ERR_NON_2XX_3XX_RESPONSE' });
    expect(report.error!.extra).to.deep.equal({});
  });
});
