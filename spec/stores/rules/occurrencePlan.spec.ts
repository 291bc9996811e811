import { expect } from 'chai';
import { newestRelease, planOccurrences } from '../../../lib/stores/rules/occurrencePlan';
import { makeReport } from '../../support/reports';

const at = (minutes: number) => new Date(Date.UTC(2030, 0, 1, 12, minutes));
const filed = (release: string | null, minutes = 0) => ({ report: makeReport({ release }), at: at(minutes), occurrences: 1 });

describe('planOccurrences', () => {
  it('reopens a resolved group when any occurrence is from a release not seen before the resolve', () => {
    const before = { status: 'resolved' as const, releases: ['1.0.0'], resolvedIn: '1.1.0', releasesAtResolve: ['1.0.0'] };
    expect(planOccurrences(before, [filed('1.0.0'), filed('1.2.0')])).to.deep.include({ reopens: true, oldRelease: null });
    const old = planOccurrences(before, [filed('1.0.0', 1), filed('0.9.0', 2)]);
    expect(old).to.deep.include({ reopens: false, oldRelease: { release: '0.9.0', at: at(2) } });
    expect(old.entries.map((e) => [e.action, e.detail])).to.deep.equal([['old-release', '0.9.0']]);
    expect(planOccurrences({ ...before, oldReleaseSeen: '0.9.0' }, [filed('0.9.0')]).entries, 'the same old release is noted once').to.deep.equal([]);
  });

  it('notes the first event of each new release of an open group, and nothing for a new group', () => {
    const plan = planOccurrences({ status: 'open', releases: ['1.0.0'] }, [filed('1.1.0'), filed('1.1.0'), filed(null), filed('1.0.0')]);
    expect(plan.entries.map((e) => [e.action, e.detail])).to.deep.equal([['new-release', '1.1.0']]);
    expect(planOccurrences(undefined, [filed('1.1.0')])).to.deep.equal({ reopens: false, oldRelease: null, entries: [] });
    expect(newestRelease([filed('a', 3), filed('b', 1), filed(null, 9)])).to.equal('a');
  });
});
