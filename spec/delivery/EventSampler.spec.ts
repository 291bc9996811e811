import { expect } from 'chai';
import { EventSampler } from '../../lib/delivery/EventSampler';
import type { Report } from '../../lib';
import { sampleReport } from '../support/reports';
import { FakeClock } from '../support/fakeClock';

const MINUTE = 60_000;
const T0 = 1_700_000_000_000 - (1_700_000_000_000 % MINUTE);

function sampler(eventsPerMinute: number | null, maxGroups = 100, clock = new FakeClock(T0)) {
  const tallies: Report[] = [];
  const s = new EventSampler({ eventsPerMinute, tallyMs: 10, maxGroups, emit: (tally) => tallies.push(tally), clock });
  return { s, tallies, clock };
}

const report = (fingerprint: string, id: string, extra: Partial<Report> = {}) => sampleReport({ fingerprint, id, ...extra });

describe('EventSampler', () => {
  it('admits the first eventsPerMinute reports of a group, then folds the rest into one tally, the latest report counting them', () => {
    const { s, tallies } = sampler(3);
    const admitted = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'].map((id) => s.admit(report('a', id), T0 + 1));
    expect(admitted).to.deep.equal([true, true, true, false, false, false]);
    expect(s.pendingTallies).to.equal(1);
    s.emitTallies();
    expect(tallies.map((t) => [t.id, t.occurrences])).to.deep.equal([['a6', 3]]);
    expect(s.pendingTallies).to.equal(0);
  });

  it('keeps a quota per group and kind', () => {
    const { s } = sampler(1);
    expect(s.admit(report('a', '1'), T0)).to.equal(true);
    expect(s.admit(report('b', '2'), T0)).to.equal(true);
    expect(s.admit(report('a', '3', { kind: 'broken-link' }), T0)).to.equal(true);
    expect(s.admit(report('a', '4'), T0)).to.equal(false);
  });

  it('starts a fresh quota each minute, and a tally already folded stays whole', () => {
    const { s, tallies } = sampler(1);
    expect(s.admit(report('a', '1'), T0)).to.equal(true);
    expect(s.admit(report('a', '2'), T0 + 10)).to.equal(false);
    expect(s.admit(report('a', '3'), T0 + MINUTE)).to.equal(true);
    expect(s.admit(report('a', '4'), T0 + MINUTE + 1)).to.equal(false);
    s.emitTallies();
    expect(tallies.map((t) => [t.id, t.occurrences])).to.deep.equal([['4', 2]]);
  });

  it('opens each group\'s minute at its first event, so a storm across a calendar minute gets one quota, not two', () => {
    const { s } = sampler(2);
    const start = T0 + MINUTE - 1000;
    expect(s.admit(report('a', '1'), start)).to.equal(true);
    expect(s.admit(report('a', '2'), start + 500)).to.equal(true);
    // The calendar minute turns here; the group's minute does not.
    expect(s.admit(report('a', '3'), start + 1500)).to.equal(false);
    expect(s.admit(report('a', '4'), start + MINUTE - 1)).to.equal(false);
    expect(s.admit(report('a', '5'), start + MINUTE)).to.equal(true);
  });

  it('reads the time from its clock', async () => {
    const { s, clock } = sampler(1);
    expect(s.admit(report('a', '1'))).to.equal(true);
    await clock.advance(MINUTE - 1);
    expect(s.admit(report('a', '2'))).to.equal(false);
    await clock.advance(1);
    expect(s.admit(report('a', '3'))).to.equal(true);
    s.stop();
  });

  it('adds up reports that are tallies already', () => {
    const { s, tallies } = sampler(1);
    s.admit(report('a', '1'), T0);
    s.admit(report('a', '2', { occurrences: 40 }), T0);
    s.admit(report('a', '3'), T0);
    s.emitTallies();
    expect(tallies.map((t) => t.occurrences)).to.deep.equal([41]);
  });

  it('hands tallies on by itself after tallyMs', async () => {
    const { s, tallies, clock } = sampler(1);
    s.admit(report('a', '1'), T0);
    s.admit(report('a', '2'), T0);
    await clock.advance(9);
    expect(tallies).to.have.length(0);
    await clock.advance(1);
    expect(tallies.map((t) => t.id)).to.deep.equal(['2']);
    expect(clock.pending).to.equal(0);
    s.stop();
  });

  it('with eventsPerMinute null, admits everything', () => {
    const { s } = sampler(null);
    for (let i = 0; i < 1000; i++) expect(s.admit(report('a', String(i)), T0)).to.equal(true);
    expect(s.pendingTallies).to.equal(0);
  });

  it('past maxGroups, lets new groups through unsampled instead of growing, and forgets quiet groups of past minutes', () => {
    const { s } = sampler(1, 2);
    s.admit(report('a', '1'), T0);
    s.admit(report('b', '2'), T0);
    expect(s.admit(report('c', '3'), T0)).to.equal(true);
    expect(s.admit(report('c', '4'), T0)).to.equal(true);
    // A minute later a and b are quiet: c gets their place and is sampled.
    expect(s.admit(report('c', '5'), T0 + MINUTE)).to.equal(true);
    expect(s.admit(report('c', '6'), T0 + MINUTE)).to.equal(false);
    s.stop();
  });

  describe('admitLazily', () => {
    it('folds without building: only the latest folded report of a group is built, dated when it happened, when its tally goes', () => {
      const { s, tallies, clock } = sampler(2);
      const built: string[] = [];
      const lazy = (id: string) => () => { built.push(id); return report('a', id); };
      const admitted = ['a1', 'a2', 'a3', 'a4', 'a5'].map((id, i) => s.admitLazily('error', 'a', lazy(id), T0 + i * 1000));
      expect(admitted).to.deep.equal([true, true, false, false, false]);
      // The admitted ones are the caller's to build; the folded ones are not built yet.
      expect(built).to.deep.equal([]);
      s.emitTallies();
      expect(built).to.deep.equal(['a5']);
      expect(tallies.map((t) => [t.id, t.occurrences, t.timestamp])).to.deep.equal([['a5', 3, new Date(T0 + 4000).toISOString()]]);
      expect(clock.now()).to.equal(T0);
    });

    it('shares the quota with built reports of the same group', () => {
      const { s, tallies } = sampler(2);
      expect(s.admit(report('a', 'a1'), T0)).to.equal(true);
      expect(s.admitLazily('error', 'a', () => report('a', 'a2'), T0)).to.equal(true);
      expect(s.admitLazily('error', 'a', () => report('a', 'a3'), T0)).to.equal(false);
      expect(s.admit(report('a', 'a4', { occurrences: 5 }), T0)).to.equal(false);
      s.emitTallies();
      expect(tallies.map((t) => [t.id, t.occurrences])).to.deep.equal([['a4', 6]]);
    });

    it('holds at most 1000 unbuilt tallies and never builds while admitting: past that, a new group goes on as a full event', () => {
      const { s, tallies } = sampler(1, 5000);
      let builds = 0;
      const lazy = (fingerprint: string) => () => { builds++; return report(fingerprint, fingerprint); };
      for (let g = 0; g < 1000; g++) {
        expect(s.admitLazily('error', `g${g}`, lazy(`g${g}`), T0)).to.equal(true);
        expect(s.admitLazily('error', `g${g}`, lazy(`g${g}`), T0)).to.equal(false);
      }
      for (let g = 1000; g < 1200; g++) {
        expect(s.admitLazily('error', `g${g}`, lazy(`g${g}`), T0)).to.equal(true);
        expect(s.admitLazily('error', `g${g}`, lazy(`g${g}`), T0), 'no tally room: passed on, for the worker to build').to.equal(true);
      }
      expect(builds).to.equal(0);
      // A group already holding an unbuilt tally keeps it unbuilt, and counts the occurrence.
      expect(s.admitLazily('error', 'g0', lazy('g0'), T0)).to.equal(false);
      expect(builds).to.equal(0);
      s.emitTallies();
      expect(builds).to.equal(1000);
      expect(tallies).to.have.length(1000);
      expect(tallies.find((t) => t.fingerprint === 'g0')!.occurrences).to.equal(2);
    });

    it('past the bound, a group whose tally holds a built report keeps counting into it', () => {
      const { s, tallies } = sampler(1, 5000);
      expect(s.admit(report('b', 'b0'), T0)).to.equal(true);
      expect(s.admit(report('b', 'b1'), T0)).to.equal(false);
      for (let g = 0; g < 1000; g++) {
        s.admitLazily('error', `g${g}`, () => report(`g${g}`, `g${g}`), T0);
        s.admitLazily('error', `g${g}`, () => report(`g${g}`, `g${g}`), T0);
      }
      expect(s.admitLazily('error', 'b', () => report('b', 'b2'), T0)).to.equal(false);
      s.emitTallies();
      expect(tallies.filter((t) => t.fingerprint === 'b').map((t) => [t.id, t.occurrences])).to.deep.equal([['b1', 2]]);
    });

    it('hands on the other tallies when a build fails', () => {
      const { s, tallies } = sampler(0);
      s.admitLazily('error', 'a', () => { throw new Error('hostile'); }, T0);
      s.admitLazily('error', 'b', () => report('b', 'b1'), T0);
      s.emitTallies();
      expect(tallies.map((t) => t.id)).to.deep.equal(['b1']);
    });
  });
});
