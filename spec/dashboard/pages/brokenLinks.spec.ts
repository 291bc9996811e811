import { expect } from 'chai';
import { dashboardApp, getPage } from '../../support/dashboardApp';
import { DashboardMemoryStore } from '../../support/dashboardStore';
import { makeBrokenLinkReport, makeReport, sampleRequest } from '../../support/reports';

describe('dashboard broken links page', () => {
  const store = new DashboardMemoryStore().add(
    makeBrokenLinkReport('/old-page', 'http://127.0.0.1/home'),
    makeBrokenLinkReport('/from-elsewhere', 'https://other.example/post', { request: sampleRequest({ userAgent: 'Mozilla/5.0 (X11)' }) }),
    makeReport({ fingerprint: 'err', title: 'TypeError: not a link' }),
  );

  it('lists broken links only, with referer, internal/external, hits, user agents and bulk actions', async () => {
    const { text, status } = await getPage(dashboardApp(store), '/_tripwire/broken-links');
    expect(status).to.equal(200);
    expect(text).to.include('/old-page').and.include('/from-elsewhere').and.not.include('not a link');
    expect(text).to.include('<a href="https://other.example/post" rel="noopener noreferrer nofollow" target="_blank">');
    expect(text).to.include('<span class="badge internal"').and.include('<span class="badge">external</span>');
    expect(text).to.include('Mozilla/5.0 (X11)').and.include('value="broken-link:link:/old-page"');
  });

  it('searches by URL', async () => {
    const { text } = await getPage(dashboardApp(store), '/_tripwire/broken-links?q=old');
    expect(text).to.include('/old-page').and.not.include('/from-elsewhere');
  });
});
