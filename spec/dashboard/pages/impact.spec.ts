import { expect } from 'chai';
import { breakdownsPanel, facts } from '../../../lib/dashboard/pages/impact';
import type { IssueSummary } from '../../../lib/contracts/issueStore';

const issue = {
  kind: 'error', fingerprint: 'f', title: 't', type: 'TypeError', message: 'm', culprit: null, count: 12, users: 0, visitors: 5,
  firstSeen: new Date('2026-01-01T00:00:00Z'), lastSeen: new Date('2026-01-02T00:00:00Z'), status: 'resolved', environments: ['production'],
  releases: ['493cd4f2b1c0e5d7a9f8e6c4b2a0d1e3f5a7c9b1'], lastEventId: 'e', resolvedIn: '1.4.2', oldReleaseSeen: '1.4.1', oldReleaseSeenAt: new Date('2026-01-03T00:00:00Z'),
} as IssueSummary;

describe('dashboard impact', () => {
  it('shows "≈ N visitors" next to events, users by id, the release it was resolved in, and an older release seen again', () => {
    const html = facts(issue, 3).text;
    expect(html).to.include('<dt>Events</dt><dd>12 <span class="visitors"').and.include('≈ 5 visitors</span>');
    expect(html).to.include('<div class="users"><dt>Users</dt><dd>0</dd></div>');
    expect(html).to.include('<div class="resolved-in"><dt>Resolved in</dt><dd><span title="1.4.2">1.4.2</span></dd></div>');
    expect(html).to.include('Seen again in <span title="1.4.1">1.4.1</span> (older release)');
    expect(html).to.include('title="493cd4f2b1c0e5d7a9f8e6c4b2a0d1e3f5a7c9b1">493cd4f</span>');
    expect(facts({ ...issue, visitors: 0, oldReleaseSeen: null }, null).text).to.not.include('visitors').and.not.include('Seen again');
  });

  it('breaks the last days down with counts and shares, and shows nothing without breakdowns', () => {
    const html = String(breakdownsPanel({ days: 14, total: 8, release: [{ value: '1.4.2', count: 6 }, { value: '1.4.1', count: 2 }], environment: [], route: [{ value: '/orders/:id', count: 8 }], browser: [], host: [] }));
    expect(html).to.include('Last 14 days: 8 occurrences');
    expect(html).to.include('<td class="num">6</td><td class="num share">75%</td>').and.include('<td class="num share">25%</td>').and.include('/orders/:id');
    expect(breakdownsPanel(null)).to.equal('');
  });
});
