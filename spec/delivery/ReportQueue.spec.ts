import { expect } from 'chai';
import { built, ReportQueue, type QueuedReport } from '../../lib/delivery/ReportQueue';
import type { Report } from '../../lib/report/Report';
import { makeReport } from '../support/reports';

const ids = (items: QueuedReport[]) => items.map((r) => (r as Report).id);

describe('ReportQueue', () => {
  it('hands reports out first in, first out, in batches of at most `max`', () => {
    const queue = new ReportQueue();
    const reports = Array.from({ length: 5 }, (_, i) => makeReport({ id: `r${i}` }));
    reports.forEach((r) => queue.push(r));
    expect(queue.length).to.equal(5);
    expect(ids(queue.take(2))).to.deep.equal(['r0', 'r1']);
    expect(queue.length).to.equal(3);
    expect(ids(queue.take(10))).to.deep.equal(['r2', 'r3', 'r4']);
    expect(queue.length).to.equal(0);
    expect(queue.take(3)).to.deep.equal([]);
  });

  it('keeps order and count across compaction of a long run', () => {
    const queue = new ReportQueue();
    let pushed = 0;
    let taken: string[] = [];
    for (let round = 0; round < 30; round++) {
      for (let i = 0; i < 150; i++) queue.push(makeReport({ id: `r${pushed++}` }));
      taken = taken.concat(ids(queue.take(100)));
    }
    const rest = ids(queue.takeAll());
    const all = taken.concat(rest);
    expect(all).to.have.length(pushed);
    expect(all).to.deep.equal(Array.from({ length: pushed }, (_, i) => `r${i}`));
    expect(queue.length).to.equal(0);
  });

  it('holds unbuilt reports as they were offered and builds them only when asked, leaving out a builder that throws', () => {
    const queue = new ReportQueue();
    let builds = 0;
    queue.push(makeReport({ id: 'built' }));
    queue.push(() => { builds++; return makeReport({ id: 'lazy' }); });
    queue.push(() => { throw new Error('broken builder'); });
    expect(builds, 'pushing builds nothing').to.equal(0);
    const { reports, failed } = built(queue.takeAll());
    expect(reports.map((r) => r.id)).to.deep.equal(['built', 'lazy']);
    expect(failed).to.equal(1);
    expect(builds).to.equal(1);
  });
});
