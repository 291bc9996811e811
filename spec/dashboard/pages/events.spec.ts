import { expect } from 'chai';
import { dashboardApp, getPage } from '../../support/dashboardApp';
import { DashboardMemoryStore } from '../../support/dashboardStore';
import { makeReport, sampleRequest } from '../../support/reports';

describe('dashboard events by request id', () => {
  const report = makeReport({ fingerprint: 'fp', title: 'TypeError: found me', request: sampleRequest({ requestId: 'req-7' }) });
  const app = dashboardApp(new DashboardMemoryStore().add(report, makeReport({ fingerprint: 'other', title: 'Other' })));

  it("links each event of the request to its issue page at that event", async () => {
    const { text } = await getPage(app, '/_tripwire/events?requestId=req-7');
    expect(text).to.include(`href="/_tripwire/issues/fp?event=${report.id}#event"`).and.include('found me').and.not.include('Other');
  });

  it('says when nothing matches, and shows only the form without a request id', async () => {
    expect((await getPage(app, '/_tripwire/events?requestId=nope')).text).to.include('No stored event has this request id');
    expect((await getPage(app, '/_tripwire/events')).text).to.include('name="requestId"').and.not.include('No stored event');
  });
});
