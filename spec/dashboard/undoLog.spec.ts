import { expect } from 'chai';
import { previousOf, UndoLog } from '../../lib/dashboard/undoLog';
import type { IssueSummary } from '../../lib/contracts/issueStore';

describe('dashboard undoLog', () => {
  it('keeps a record for an hour, hands it out once, and keeps at most 200', () => {
    const log = new UndoLog();
    const id = log.add({ status: 'resolved', previous: [], at: 1_000 });
    expect(log.get(id, 1_000 + 59 * 60_000)).to.not.equal(null);
    expect(log.get(id, 1_000 + 60 * 60_000)).to.equal(null);
    expect(log.take(id, 2_000)!.status).to.equal('resolved');
    expect(log.take(id, 2_000)).to.equal(null);
    const ids = Array.from({ length: 201 }, (_, i) => log.add({ status: 'ignored', previous: [], at: 10_000 + i }));
    expect(log.get(ids[0], 10_300)).to.equal(null);
    expect(log.get(ids[1], 10_300)).to.not.equal(null);
    expect(log.get(ids[200], 10_300)).to.not.equal(null);
  });

  it('remembers a count snooze as the occurrences left of it', () => {
    const issue = { kind: 'error', fingerprint: 'f', status: 'snoozed', count: 14, snoozedUntilCount: 20, snoozedUntil: null } as unknown as IssueSummary;
    expect(previousOf(issue)).to.deep.equal({ kind: 'error', fingerprint: 'f', status: 'snoozed', snoozedUntil: null, snoozeLeft: 6 });
  });
});
