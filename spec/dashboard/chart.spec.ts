import { expect } from 'chai';
import { occurrenceChart } from '../../lib/dashboard/chart';

const hour = 3_600_000;
const start = Date.UTC(2026, 0, 1);

describe('occurrenceChart', () => {
  it('draws one bar per bucket, the tallest at full height, labelled with the total', () => {
    const svg = occurrenceChart([
      { start: new Date(start), count: 0 },
      { start: new Date(start + hour), count: 5 },
      { start: new Date(start + 2 * hour), count: 10 },
    ], { width: 30, height: 11 }).text;
    expect(svg).to.match(/^<svg class="chart" role="img" aria-label="15 occurrences" width="30" height="11"/);
    const heights = [...svg.matchAll(/<rect [^>]*height="(\d+)"/g)].map((m) => Number(m[1]));
    expect(heights).to.deep.equal([1, 5, 10]);
    expect(svg.match(/class="bar empty"/g)).to.have.length(1);
    expect(svg).to.include('<title>10 · ');
    expect(svg, 'no style attribute (CSP)').to.not.match(/style=/);
  });

  it('shows a dash when there are no buckets', () => {
    expect(occurrenceChart([]).text).to.equal('<span class="muted">–</span>');
  });

  it('escapes the label', () => {
    expect(occurrenceChart([{ start: new Date(start), count: 1 }], { label: '"><script>' }).text).to.not.include('<script>');
  });
});
