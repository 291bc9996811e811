import { expect } from 'chai';
import { dashboardApp, getPage, session } from '../support/dashboardApp';

describe('dashboard CSRF token', () => {
  it('is set once per session in an HttpOnly SameSite=Strict cookie scoped to the mount, and put in every form', async () => {
    const app = dashboardApp();
    const first = await getPage(app, '/_tripwire/');
    const cookie = first.headers['set-cookie'][0];
    expect(cookie).to.match(/^tripwire_csrf=[A-Za-z0-9_-]{43}; path=\/_tripwire; samesite=strict; httponly$/);
    const { cookie: jar, token } = await session(app);
    const again = await getPage(app, '/_tripwire/broken-links').set('Cookie', jar);
    expect(again.headers['set-cookie']).to.equal(undefined);
    expect(again.text).to.include(`name="_csrf" value="${token}"`);
  });

  it('replaces a malformed cookie', async () => {
    const page = await getPage(dashboardApp(), '/_tripwire/').set('Cookie', 'tripwire_csrf="><script>');
    expect(page.headers['set-cookie'][0]).to.match(/^tripwire_csrf=[A-Za-z0-9_-]{43};/);
    expect(page.text).to.not.include('<script>');
  });
});
