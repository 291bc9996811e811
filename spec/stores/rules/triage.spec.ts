import { expect } from 'chai';
import { activityLimit, describeSnoozeEnd, snoozeEnd, snoozeIsOver, statusChange } from '../../../lib/stores/rules/triage';

const NOW = new Date(Date.UTC(2030, 0, 1));
const GROUP = { count: 7, releases: ['1.0.0', '1.1.0'], lastRelease: '1.1.0' };

describe('triage', () => {
  it('records resolvedIn and the releases seen, from the change or the newest release', () => {
    expect(statusChange('resolved', undefined, { release: '1.2.0', actor: 'ann', via: 'api' }, GROUP, NOW)).to.deep.include({
      fields: { status: 'resolved', snoozedUntil: null, snoozedUntilCount: null, snoozedAt: null, snoozeFor: null, resolvedIn: '1.2.0', releasesAtResolve: ['1.0.0', '1.1.0'], resolvedAt: NOW },
      entry: { at: NOW, action: 'resolved', actor: 'ann', via: 'api', detail: '1.2.0' },
    });
    expect(statusChange('resolved', undefined, undefined, GROUP, NOW).fields.resolvedIn).to.equal('1.1.0');
    expect(statusChange('open', undefined, undefined, GROUP, NOW).entry.action).to.equal('reopened');
  });

  it('describes a snooze and counts it from the current total', () => {
    const until = new Date(NOW.getTime() + 3_600_000);
    const { fields, entry } = statusChange('snoozed', { until, untilCount: 10 }, { actor: 'bob' }, GROUP, NOW);
    expect(fields).to.include({ snoozedUntilCount: 17, snoozeFor: 10, snoozedAt: NOW, snoozedUntil: until });
    expect(entry.detail).to.equal('until 2030-01-01T01:00:00.000Z or 10 more occurrences');
  });

  it('refuses what the port refuses, and cuts what a person typed', () => {
    expect(() => statusChange('closed' as never, undefined, undefined, GROUP, NOW)).to.throw(RangeError);
    expect(() => statusChange('snoozed', undefined, undefined, GROUP, NOW)).to.throw(TypeError, /needs `until`/);
    expect(() => statusChange('snoozed', { untilCount: 1.5 }, undefined, GROUP, NOW)).to.throw(RangeError);
    expect(() => statusChange('snoozed', { until: new Date('x') }, undefined, GROUP, NOW)).to.throw(TypeError);
    expect(() => statusChange('ignored', { untilCount: 3 }, undefined, GROUP, NOW)).to.throw(TypeError, /snoozed` only/);
    expect(statusChange('ignored', undefined, { actor: 'x'.repeat(1000) }, GROUP, NOW).entry.actor).to.have.length(200);
  });

  it('says when and why a snooze ends', () => {
    const timed = { status: 'snoozed' as const, count: 1, snoozedUntil: new Date(NOW.getTime() - 1), snoozedAt: new Date(NOW.getTime() - 7_200_001) };
    expect(snoozeIsOver(timed, NOW)).to.equal(true);
    expect(snoozeEnd(timed, NOW)).to.deep.equal({ after: 'time', ms: 7_200_000 });
    const counted = { status: 'snoozed' as const, count: 12, snoozedUntilCount: 12, snoozeFor: 10 };
    expect(snoozeIsOver(counted, NOW)).to.equal(true);
    expect(snoozeEnd(counted, NOW)).to.deep.equal({ after: 'count', occurrences: 10 });
    expect(snoozeIsOver({ ...counted, count: 11 }, NOW)).to.equal(false);
    expect([describeSnoozeEnd({ after: 'count', occurrences: 1 }), describeSnoozeEnd({ after: 'time', ms: 7_200_000 }), describeSnoozeEnd({ after: 'time', ms: 90_000 })])
      .to.deep.equal(['after 1 more occurrence', 'after 2 hours', 'after 2 min']);
    expect([activityLimit(undefined), activityLimit(0), activityLimit(500), activityLimit('x')]).to.deep.equal([50, 1, 50, 50]);
  });
});
