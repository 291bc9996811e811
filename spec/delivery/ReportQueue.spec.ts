import { expect } from 'chai';
import { ReportQueue } from '../../lib/delivery/ReportQueue';
import { makeReport } from '../support/reports';

describe('ReportQueue', () => {
  it('hands reports out first in, first out, in batches of at most `max`', () => {
    const queue = new ReportQueue();
    const reports = Array.from({ length: 5 }, (_, i) => makeReport({ id: `r${i}` }));
    reports.forEach((r) => queue.push(r));
    expect(queue.length).to.equal(5);
    expect(queue.take(2).map((r) => r.id)).to.deep.equal(['r0', 'r1']);
    expect(queue.length).to.equal(3);
    expect(queue.take(10).map((r) => r.id)).to.deep.equal(['r2', 'r3', 'r4']);
    expect(queue.length).to.equal(0);
    expect(queue.take(3)).to.deep.equal([]);
  });

  it('keeps order and count across compaction of a long run', () => {
    const queue = new ReportQueue();
    let pushed = 0;
    let taken: string[] = [];
    for (let round = 0; round < 30; round++) {
      for (let i = 0; i < 150; i++) queue.push(makeReport({ id: `r${pushed++}` }));
      taken = taken.concat(queue.take(100).map((r) => r.id!));
    }
    const rest = queue.takeAll().map((r) => r.id!);
    const all = taken.concat(rest);
    expect(all).to.have.length(pushed);
    expect(all).to.deep.equal(Array.from({ length: pushed }, (_, i) => `r${i}`));
    expect(queue.length).to.equal(0);
  });
});
