import { expect } from 'chai';
import { notifierFilter } from '../../lib/notifiers/notifierFilter';
import { sampleBrokenLinkReport, sampleErrorReport } from '../support/reports';

describe('notifierFilter', () => {
  const error = sampleErrorReport();
  const brokenLink = sampleBrokenLinkReport();

  it('accepts everything without options', () => {
    const accepts = notifierFilter();
    expect(accepts(error)).to.equal(true);
    expect(accepts(brokenLink)).to.equal(true);
  });

  it('filters by minimum status', () => {
    const accepts = notifierFilter({ minStatus: 500 });
    expect(accepts(error)).to.equal(true);
    expect(accepts(brokenLink)).to.equal(false);
  });

  it('filters by environment and kind', () => {
    expect(notifierFilter({ environments: ['staging'] })(error)).to.equal(false);
    expect(notifierFilter({ environments: ['staging', 'production'] })(error)).to.equal(true);
    expect(notifierFilter({ kinds: ['broken-link'] })(error)).to.equal(false);
    expect(notifierFilter({ kinds: ['broken-link'] })(brokenLink)).to.equal(true);
  });

  it('asks the predicate last, and only takes a literal true', () => {
    const seen: string[] = [];
    const accepts = notifierFilter({ kinds: ['error'], when: (report) => (seen.push(report.id), report.user.id === '42') });
    expect(accepts(brokenLink)).to.equal(false);
    expect(seen).to.deep.equal([]);
    expect(accepts(error)).to.equal(true);
    expect(accepts({ ...error, user: { id: '7', username: 'bob' } })).to.equal(false);
    expect(notifierFilter({ when: () => 'yes' as unknown as boolean })(error)).to.equal(false);
  });

  it('is not changed by later edits to the arrays it was given', () => {
    const environments = ['production'];
    const accepts = notifierFilter({ environments });
    environments.pop();
    expect(accepts(error)).to.equal(true);
  });

  it('rejects invalid options naming them', () => {
    expect(() => notifierFilter({ minStatus: -1 })).to.throw(RangeError, /minStatus/);
    expect(() => notifierFilter({ minStatus: 4.5 })).to.throw(RangeError, /minStatus/);
    expect(() => notifierFilter({ environments: 'production' as unknown as string[] })).to.throw(TypeError, /environments/);
    expect(() => notifierFilter({ kinds: ['warning' as 'error'] })).to.throw(TypeError, /kinds/);
    expect(() => notifierFilter({ when: true as unknown as () => boolean })).to.throw(TypeError, /when/);
    expect(() => notifierFilter({ kind: ['error'] } as never)).to.throw(TypeError, /unknown option `kind`; did you mean `kinds`/);
  });
});
