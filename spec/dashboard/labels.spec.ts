import { expect } from 'chai';
import { localTime, plural, releaseLabel } from '../../lib/dashboard/labels';

describe('dashboard labels', () => {
  it('shortens a git sha to 7 characters with the full value in the tooltip, and leaves other releases alone', () => {
    expect(releaseLabel('493cd4f2b1c0e5d7a9f8e6c4b2a0d1e3f5a7c9b1').text).to.equal('<span class="mono" title="493cd4f2b1c0e5d7a9f8e6c4b2a0d1e3f5a7c9b1">493cd4f</span>');
    expect(releaseLabel('1.4.2').text).to.equal('<span title="1.4.2">1.4.2</span>');
    expect(releaseLabel('<b>x</b>').text).to.equal('<span title="&lt;b&gt;x&lt;/b&gt;">&lt;b&gt;x&lt;/b&gt;</span>');
    expect(releaseLabel(null).text).to.include('–');
  });

  it('renders an exact time in UTC for the script to turn local, UTC kept in the tooltip', () => {
    expect(localTime('2026-03-01T13:05:09.000Z').text).to.equal('<time datetime="2026-03-01T13:05:09.000Z" title="2026-03-01 13:05:09 UTC" data-local>2026-03-01 13:05:09 UTC</time>');
    expect(localTime('not a date').text).to.include('–');
  });

  it('counts in words', () => {
    expect([plural(1, 'visitor'), plural(1200, 'visitor'), plural(2, 'library frame')]).to.deep.equal(['1 visitor', '1,200 visitors', '2 library frames']);
  });
});
