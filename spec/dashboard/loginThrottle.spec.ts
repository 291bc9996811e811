// Failed Basic logins over real HTTP, on an injected clock: 10 failures from one client in a
// minute lock that client out (the right password too) until the window passes, logged once.
import { expect } from 'chai';
import Koa from 'koa';
import request from 'supertest';
import { dashboard } from '../../lib/dashboard/dashboard';
import { CREDENTIALS } from '../support/dashboardApp';
import { DashboardMemoryStore } from '../support/dashboardStore';
import { FakeClock } from '../support/fakeClock';
import { recordingLogger } from '../support/recordingLogger';

function throttledApp(loginThrottle: { perIp?: number; overall?: number; windowMs?: number } = {}) {
  const clock = new FakeClock();
  const logger = recordingLogger();
  const app = new Koa();
  app.proxy = true;
  app.use(dashboard({ store: new DashboardMemoryStore(), auth: CREDENTIALS, clock, logger, loginThrottle }));
  const get = (password: string, ip = '198.51.100.7') =>
    request(app.callback()).get('/_tripwire/').set('X-Forwarded-For', ip).auth(CREDENTIALS.username, password);
  const anonymous = () => request(app.callback()).get('/_tripwire/').set('X-Forwarded-For', '198.51.100.7');
  return { clock, logger, get, anonymous };
}

describe('dashboard login throttle', () => {
  it('answers 429 with Retry-After after 10 failures in a minute, even the right password, until the window passes', async () => {
    const { clock, logger, get } = throttledApp();
    for (let i = 0; i < 10; i++) expect((await get(`guess-${i}`)).status).to.equal(401);
    const locked = await get(CREDENTIALS.password);
    expect(locked.status).to.equal(429);
    expect(locked.headers['retry-after']).to.equal('60');
    expect(locked.text).to.not.include('Issues');
    await clock.advance(30_000);
    const later = await get(CREDENTIALS.password);
    expect(later.status).to.equal(429);
    expect(later.headers['retry-after']).to.equal('30');
    // Another client is not locked out by this one.
    expect((await get(CREDENTIALS.password, '203.0.113.50')).status).to.equal(200);
    await clock.advance(30_000);
    expect((await get(CREDENTIALS.password)).status).to.equal(200);
    const warnings = logger.lines.filter((l) => l.level === 'warn');
    expect(warnings).to.have.length(1);
    expect(warnings[0].message).to.include('throttled');
    expect(warnings[0].fields).to.include({ ip: '198.51.100.7', failures: 10 });
  });

  it('throttles failures from many clients together past the overall limit, logging once per window', async () => {
    const { clock, logger, get } = throttledApp({ perIp: 10, overall: 20 });
    for (let i = 0; i < 20; i++) expect((await get('wrong-password', `192.0.2.${i + 1}`)).status).to.equal(401);
    expect((await get(CREDENTIALS.password, '203.0.113.99')).status).to.equal(429);
    expect((await get('wrong-again', '203.0.113.98')).status).to.equal(429);
    expect(logger.lines.filter((l) => l.message.includes('everyone'))).to.have.length(1);
    await clock.advance(60_000);
    expect((await get(CREDENTIALS.password, '203.0.113.99')).status).to.equal(200);
    for (let i = 0; i < 20; i++) await get('wrong-password', `192.0.2.${i + 1}`);
    expect(logger.lines.filter((l) => l.message.includes('everyone'))).to.have.length(2);
  });

  it('does not count a request without credentials (the browser asking for the login box)', async () => {
    const { get, anonymous } = throttledApp({ perIp: 2 });
    for (let i = 0; i < 5; i++) expect((await anonymous()).status).to.equal(401);
    expect((await get(CREDENTIALS.password)).status).to.equal(200);
    await get('wrong-1');
    await get('wrong-2');
    expect((await get(CREDENTIALS.password)).status).to.equal(429);
  });

  it('counts wrong API tokens as failed logins too', async () => {
    const clock = new FakeClock();
    const app = new Koa();
    const token = 'spec-api-token-0123456789abcdef';
    app.use(dashboard({ store: new DashboardMemoryStore(), auth: CREDENTIALS, apiToken: token, clock, logger: recordingLogger() }));
    const call = (bearer: string) => request(app.callback()).get('/_tripwire/api/issues').set('Authorization', `Bearer ${bearer}`);
    for (let i = 0; i < 10; i++) expect((await call(`guess-${i}`)).status).to.equal(401);
    const locked = await call(token);
    expect(locked.status).to.equal(429);
    expect(locked.headers['retry-after']).to.equal('60');
    await clock.advance(60_000);
    expect((await call(token)).status).to.equal(200);
  });
});
