import { expect } from 'chai';
import { activityPanel } from '../../../lib/dashboard/pages/activity';

describe('dashboard activity', () => {
  it('lists who did what, when and from where, and what the store recorded itself', () => {
    const html = String(activityPanel([
      { at: new Date('2026-01-02T10:00:00Z'), action: 'resolved', actor: 'alice<script>', via: 'bulk', detail: '1.4.2' },
      { at: new Date('2026-01-01T10:00:00Z'), action: 'regressed', actor: null, via: null, detail: null },
    ]));
    expect(html).to.include('data-action="resolved"').and.include('<strong>Resolved</strong> <span class="detail">1.4.2</span>');
    expect(html).to.include('by <span class="actor">alice&lt;script&gt;</span> <span class="muted">(bulk)</span>');
    expect(html).to.include('<strong>Regressed</strong>');
    expect(html.indexOf('Resolved')).to.be.lessThan(html.indexOf('Regressed'));
  });

  it('says when nothing happened yet, and shows nothing for a store without activity', () => {
    expect(String(activityPanel([]))).to.include('Nothing yet.');
    expect(activityPanel(null)).to.equal('');
  });
});
