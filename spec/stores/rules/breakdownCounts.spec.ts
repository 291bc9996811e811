import { expect } from 'chai';
import { breakdownDays, breakdownIncrements, browserFamily, dayNumber, MAX_VALUES_PER_DAY, sumBreakdowns } from '../../../lib/stores/rules/breakdownCounts';
import { makeReport, sampleRequest } from '../../support/reports';

const NOW = new Date(Date.UTC(2030, 5, 15, 12));

describe('breakdownCounts', () => {
  it('names the browser family of a User-Agent', () => {
    const table: Array<[string | null, string]> = [
      ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91', 'Edge'],
      ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36', 'Chrome'],
      ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/120.0 Mobile/15E148 Safari/604.1', 'Chrome'],
      ['Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0', 'Firefox'],
      ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15', 'Safari'],
      ['curl/8.4.0', 'curl'],
      ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'bot'],
      ['python-requests/2.31', 'Other'],
      [null, 'Other'],
    ];
    for (const [ua, family] of table) expect(browserFamily(ua), String(ua)).to.equal(family);
  });

  it('counts at most 20 values per dimension and day, the rest as (other), and skips days outside the ring', () => {
    const filed = Array.from({ length: MAX_VALUES_PER_DAY + 5 }, (_, i) => ({
      report: makeReport({ request: sampleRequest({ route: `/r/${i}` }) }), at: NOW, occurrences: 1,
    }));
    filed.push({ report: makeReport(), at: new Date(NOW.getTime() - 20 * 86_400_000), occurrences: 9 });
    const planned = breakdownIncrements(filed, NOW, () => undefined);
    expect([...planned.keys()]).to.deep.equal([dayNumber(NOW) % 15]);
    const slot = [...planned.values()][0];
    expect(slot).to.include({ fresh: true, total: MAX_VALUES_PER_DAY + 5 });
    expect(Object.keys(slot.route)).to.have.length(MAX_VALUES_PER_DAY + 1);
    expect(slot.route['(other)']).to.equal(5);
    const sums = sumBreakdowns([slot], 14, NOW);
    expect(sums.route).to.have.length(10);
    expect(sums.route[0]).to.deep.equal({ value: '(other)', count: 5 });
  });

  it('adds to a stored slot of the same day, and resets one holding an older day', () => {
    const today = dayNumber(NOW);
    const filed = [{ report: makeReport({ release: '2.0.0' }), at: NOW, occurrences: 2 }];
    const same = breakdownIncrements(filed, NOW, () => ({ day: today, release: { '1.0.0': 3 } }));
    expect([...same.values()][0]).to.include({ fresh: false, total: 2 });
    const older = breakdownIncrements(filed, NOW, () => ({ day: today - 15 }));
    expect([...older.values()][0]).to.include({ fresh: true, day: today });
  });

  it('bounds the days asked for to 1–14', () => {
    expect([breakdownDays(undefined), breakdownDays(0), breakdownDays(7.9), breakdownDays(99), breakdownDays('x')]).to.deep.equal([14, 1, 7, 14, 14]);
  });
});
