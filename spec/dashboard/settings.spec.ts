import { expect } from 'chai';
import { dashboardSettings } from '../../lib/dashboard/settings';
import { DashboardMemoryStore } from '../support/dashboardStore';

describe('dashboard settings', () => {
  const store = new DashboardMemoryStore();

  it('defaults: the release from TRIPWIRE_RELEASE, no API token, 10 failed logins a minute per IP and 100 in all', () => {
    const before = process.env.TRIPWIRE_RELEASE;
    process.env.TRIPWIRE_RELEASE = '2.1.0';
    try {
      const settings = dashboardSettings({ store, auth: false });
      expect(settings).to.include({ release: '2.1.0', apiToken: null, mount: '/_tripwire', perPage: 50 });
      expect(settings.loginThrottle).to.deep.equal({ perIp: 10, overall: 100, windowMs: 60_000 });
      expect(dashboardSettings({ store, auth: false, release: null }).release).to.equal(null);
    } finally {
      if (before === undefined) delete process.env.TRIPWIRE_RELEASE;
      else process.env.TRIPWIRE_RELEASE = before;
    }
  });

  it('refuses at startup a weak API token, a bad throttle, logger, clock or release, naming the fix', () => {
    expect(() => dashboardSettings({ store, auth: false, apiToken: 'short' })).to.throw(TypeError, /apiToken.*at least 24 characters/);
    expect(() => dashboardSettings({ store, auth: false, loginThrottle: { perIp: 0 } })).to.throw(RangeError, /loginThrottle.perIp/);
    expect(() => dashboardSettings({ store, auth: false, loginThrottle: { perIP: 5 } as never })).to.throw(TypeError, /unknown option `perIP`; did you mean `perIp`/);
    expect(() => dashboardSettings({ store, auth: false, logger: {} as never })).to.throw(TypeError, /logger/);
    expect(() => dashboardSettings({ store, auth: false, clock: { now: () => 0 } as never })).to.throw(TypeError, /clock/);
    expect(() => dashboardSettings({ store, auth: false, release: 42 as never })).to.throw(TypeError, /release/);
    expect(() => dashboardSettings({ store, auth: false, apiTokn: 'x' } as never)).to.throw(TypeError, /did you mean `apiToken`/);
  });
});
