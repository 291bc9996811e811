// Issue 20, item 9: at dashboard size (10,000 issues, 100,000 events by default) every
// IssueStore read the dashboard makes sends a bounded number of MongoDB commands and gets
// back at most a small multiple of a page of documents, whatever the data holds. Counted
// with the driver's command monitoring, on the live test server. Sizes:
// TRIPWIRE_SCALE_ISSUES, TRIPWIRE_SCALE_EVENTS.
import { expect } from 'chai';
import mongoose, { type Connection } from 'mongoose';
import { MongoStore } from '../../../lib/stores/mongo/MongoStore';
import { silentLogger } from '../../../lib/core/logger';
import { MAX_FILTER_VALUES } from '../../../lib/stores/rules/issueQuery';
import { mongoUri } from '../../support/mongoServer';
import { makeReport } from '../../support/reports';
import { dashboardReads, seedDashboard, watchCommands, type ReadCost, type Seeded } from '../../../bench/support/dashboardSeed';

const ISSUES = Number(process.env.TRIPWIRE_SCALE_ISSUES ?? 10_000);
const EVENTS = Number(process.env.TRIPWIRE_SCALE_EVENTS ?? 100_000);
const PER_PAGE = 50;
const MERGED_PAGE = 100;

// What each read may cost: commands sent, documents returned.
const BOUNDS: Record<string, { queries: number; documents: number }> = {
  'listIssues (both kinds, page 1)': { queries: 2, documents: 2 * (PER_PAGE + 1) },
  // The split of a deep merged page: two bounded counts and a binary search reading one sort key a step.
  'listIssues (both kinds, page 100)': { queries: 4 + 2 * Math.ceil(Math.log2(MERGED_PAGE * PER_PAGE + 1)), documents: 2 * (PER_PAGE + 1) + 2 * Math.ceil(Math.log2(MERGED_PAGE * PER_PAGE + 1)) },
  'listIssues (errors by count, page 20)': { queries: 1, documents: PER_PAGE + 1 },
  'listIssues (environment + release)': { queries: 2, documents: 2 * (PER_PAGE + 1) },
  'listIssues (search)': { queries: 2, documents: 2 * (PER_PAGE + 1) },
  'listIssues (resolved)': { queries: 2, documents: 2 * (PER_PAGE + 1) },
  getIssue: { queries: 1, documents: 1 },
  // Grouped by the server: at most one row per row and bucket (the answer's own size), in at most two batches.
  'histograms (a page of rows, by hour)': { queries: 3, documents: PER_PAGE * 24 },
  'histogram (by day)': { queries: 1, documents: 14 },
  'listEvents (page 5)': { queries: 1, documents: 21 },
  getEvent: { queries: 1, documents: 1 },
  findEvents: { queries: 1, documents: 50 },
  breakdowns: { queries: 2, documents: 2 },
  activity: { queries: 1, documents: 1 },
  filterValues: { queries: 4, documents: 4 * MAX_FILTER_VALUES },
};

describe(`MongoStore at dashboard size (${ISSUES} issues, ${EVENTS} events)`, function () {
  this.timeout(40 * 60_000);
  let connection: Connection;
  let store: MongoStore;
  let seeded: Seeded;

  before(async () => {
    const uri = await mongoUri('tripwire_scale_spec');
    connection = await mongoose.createConnection(uri, { monitorCommands: true }).asPromise();
    await connection.dropDatabase();
    seeded = await seedDashboard(connection, { issues: ISSUES, links: Math.ceil(ISSUES / 10), events: EVENTS });
    store = new MongoStore({ connection, logger: silentLogger });
    // A real save: the store builds its indexes over what was seeded.
    await store.save([makeReport({ fingerprint: 'scale-seed' })]);
  });

  after(async () => {
    await store?.close();
    await connection?.close();
  });

  it('answers every dashboard read with a bounded number of commands and at most a few pages of documents', async () => {
    const watcher = watchCommands(connection);
    const rows = (await store.listIssues({ perPage: PER_PAGE })).issues.map((i) => i.fingerprint);
    expect(rows).to.have.length(PER_PAGE);
    const costs: Record<string, ReadCost> = {};
    for (const [name, read] of dashboardReads(store, seeded, rows, PER_PAGE)) {
      const { value, cost } = await watcher.measure(read);
      costs[name] = cost;
      expect(value, `${name} answered`).to.not.equal(null);
    }
    const over = Object.entries(costs).filter(([name, cost]) => cost.queries > BOUNDS[name].queries || cost.documents > BOUNDS[name].documents);
    expect(over, JSON.stringify(costs, null, 1)).to.deep.equal([]);
    expect(Object.keys(costs).sort()).to.deep.equal(Object.keys(BOUNDS).sort());
    // The reads found what was seeded: the busiest issue's events, breakdowns and activity.
    expect((await store.listEvents(seeded.fingerprint, { page: 5, perPage: 20 })).events).to.have.length(20);
    expect((await store.breakdowns(seeded.fingerprint, { now: seeded.now })).total).to.equal(14 * 40);
    expect(await store.activity('error', seeded.fingerprint)).to.have.length(50);
  });

  it('pages the merged listing deep down exactly as both collections sorted together', async () => {
    const page = await store.listIssues({ perPage: PER_PAGE, page: MERGED_PAGE });
    const offset = (MERGED_PAGE - 1) * PER_PAGE;
    // The merged page lies within the top offset + perPage of each kind: their sort keys, read straight from the collections.
    const top = (name: string) => connection.collection(name).find({ status: 'open' }, { projection: { lastSeen: 1 } })
      .sort({ lastSeen: -1, _id: 1 }).limit(offset + PER_PAGE + 1).toArray();
    const candidates = [...await top('tripwire_issues'), ...await top('tripwire_broken_links')]
      .map((doc) => ({ fingerprint: String(doc._id), lastSeen: doc.lastSeen as Date }))
      .sort((a, b) => b.lastSeen.getTime() - a.lastSeen.getTime() || (a.fingerprint < b.fingerprint ? -1 : 1));
    expect(page.issues.map((i) => i.fingerprint)).to.deep.equal(candidates.slice(offset, offset + PER_PAGE).map((i) => i.fingerprint));
    expect(page.hasMore).to.equal(candidates.length > offset + PER_PAGE);
  });
});
