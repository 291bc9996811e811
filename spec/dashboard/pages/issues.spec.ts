import { expect } from 'chai';
import { dashboardApp, getPage } from '../../support/dashboardApp';
import { DashboardMemoryStore } from '../../support/dashboardStore';
import { makeBrokenLinkReport, makeReport, sampleError } from '../../support/reports';

describe('dashboard issues page', () => {
  const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
  const store = new DashboardMemoryStore().add(
    makeReport({ fingerprint: 'old', title: 'RangeError: old one', timestamp: hourAgo, error: sampleError({ type: 'RangeError' }) }),
    makeReport({ fingerprint: 'new', title: 'TypeError: new one', environment: 'production', release: '1.2.3' }),
    makeReport({ fingerprint: 'new', title: 'TypeError: new one', occurrences: 4 }),
    makeBrokenLinkReport('/gone', 'http://127.0.0.1/home'),
  );
  const app = dashboardApp(store);

  it('lists open errors, newest last seen first, with counts, times, status, chart and a bulk form', async () => {
    const page = await getPage(app, '/_tripwire/');
    expect(page.status).to.equal(200);
    expect(page.text.indexOf('TypeError: new one')).to.be.within(0, page.text.indexOf('RangeError: old one'));
    expect(page.text).to.not.include('/gone');
    expect(page.text).to.match(/<td class="num" data-label="Events">5<\/td>/);
    expect(page.text).to.match(/<time datetime="[^"]+" title="\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC" data-relative>1 h ago<\/time>/);
    expect(page.text).to.include('<svg class="chart"').and.include('<span class="badge open"');
    expect(page.text).to.include('form="bulk" name="issue" value="error:new"').and.include('<form id="bulk" method="post"');
  });

  it('passes filters, search, sort and page to the store, ignoring values it does not know', async () => {
    const calls: unknown[] = [];
    const spy = Object.assign(Object.create(store), { listIssues: (q: unknown) => { calls.push(q); return store.listIssues(q as never); } });
    const watched = dashboardApp(spy);
    await getPage(watched, '/_tripwire/?status=resolved&kind=broken-link&environment=prod&release=1.2&q=boom&sort=count&page=3');
    await getPage(watched, '/_tripwire/?status[$ne]=x&kind=users&sort=drop&page=-1&q=' + 'x'.repeat(500));
    expect(calls).to.deep.equal([
      { status: 'resolved', kind: 'broken-link', environment: 'prod', release: '1.2', q: 'boom', sort: 'count', page: 3, perPage: 50 },
      { status: 'open', kind: 'error', environment: undefined, release: undefined, q: undefined, sort: 'lastSeen', page: 1, perPage: 50 },
    ]);
  });

  it('filters and searches', async () => {
    expect((await getPage(app, '/_tripwire/?environment=production')).text).to.include('new one').and.not.include('old one');
    expect((await getPage(app, '/_tripwire/?q=RANGE')).text).to.include('old one').and.not.include('new one');
    expect((await getPage(app, '/_tripwire/?kind=all')).text).to.include('/gone');
    expect((await getPage(app, '/_tripwire/?status=resolved')).text).to.include('No issues match');
  });

  it('pages with older/newer links that keep the filters', async () => {
    const many = new DashboardMemoryStore();
    for (let i = 0; i < 3; i++) many.add(makeReport({ fingerprint: `f${i}`, title: `Error ${i}` }));
    const paged = dashboardApp(many, { perPage: 2 });
    const first = await getPage(paged, '/_tripwire/?q=Error');
    expect(first.text).to.include('href="/_tripwire/?q=Error&amp;page=2" rel="next"');
    const second = await getPage(paged, '/_tripwire/?q=Error&page=2');
    expect(second.text).to.include('rel="prev"').and.not.include('rel="next"');
    expect(second.text.match(/<tr data-fingerprint/g)).to.have.length(1);
  });

  it('offers the releases and environments seen as lists, or free text when the store cannot list them', async () => {
    const withValues = new DashboardMemoryStore().add(makeReport({ fingerprint: 'r1', release: '493cd4f2b1c0e5d7a9f8e6c4b2a0d1e3f5a7c9b1', environment: 'production' }), makeReport({ fingerprint: 'r2', release: '1.4.2', environment: 'staging' }));
    const { text } = await getPage(dashboardApp(withValues), '/_tripwire/?release=493cd4f2b1c0e5d7a9f8e6c4b2a0d1e3f5a7c9b1');
    expect(text).to.include('<option value="493cd4f2b1c0e5d7a9f8e6c4b2a0d1e3f5a7c9b1" title="493cd4f2b1c0e5d7a9f8e6c4b2a0d1e3f5a7c9b1" selected>493cd4f</option>');
    expect(text).to.include('<option value="staging" title="staging">staging</option>');
    const minimal = DashboardMemoryStore.minimal() as DashboardMemoryStore;
    minimal.add(makeReport({ fingerprint: 'r1', release: '1.0.0' }));
    expect((await getPage(dashboardApp(minimal), '/_tripwire/')).text).to.include('<input type="text" name="release"');
  });
});
