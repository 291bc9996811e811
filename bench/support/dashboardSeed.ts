// A MongoStore's database at dashboard size, written in bulk in the store's own document
// shapes (issues with activity, breakdown slots and visitors; broken links; events over
// 14 days), the reads the dashboard makes of an IssueStore, and a counter of the MongoDB
// commands and documents each read costs (the driver's command monitoring). Shared by the
// scale spec (spec/stores/mongo/MongoStore.scale.spec.ts) and bench/dashboard.ts.
import type { Connection } from 'mongoose';
import type { IssueStore } from '../../lib/contracts/issueStore';

export interface SeedSize {
  issues: number;
  links: number;
  events: number;
}

export interface Seeded {
  /** The busiest issue (most events). */
  fingerprint: string;
  requestId: string;
  eventId: string;
  now: Date;
}

const AREAS = ['checkout', 'orders', 'payments', 'search', 'accounts', 'inventory', 'shipping', 'reports'];
const DAY_MS = 86_400_000;
const BATCH = 5000;
const BUSY = 100;

/** Fills the store's collections (default names) in bulk; run before the store's first save so indexes are built once. */
export async function seedDashboard(connection: Connection, size: SeedSize, now = new Date()): Promise<Seeded> {
  const today = Math.floor(now.getTime() / DAY_MS);
  const issueDocs = Array.from({ length: size.issues }, (_, i) => {
    const lastSeen = new Date(now.getTime() - i * 60_000);
    const area = AREAS[i % AREAS.length];
    return {
      _id: `bench-${i}`, title: `Internal Server Error: /api/${area}/${i}`, type: i % 3 ? 'TypeError' : 'RangeError',
      message: `failure ${i} in ${area}`, culprit: `handler${i % 50} (lib/${area}.js:${i % 200})`,
      firstSeen: new Date(lastSeen.getTime() - DAY_MS), lastSeen, count: 1 + (i * 7919) % 5000, lastEventId: `ev-${i}`,
      status: i % 10 === 9 ? 'resolved' : 'open', environments: [i % 7 ? 'production' : 'staging'], releases: [`1.${i % 5}.0`],
      userIds: Array.from({ length: i % 20 }, (_, u) => `id:${u}`), visitorKeys: Array.from({ length: i % 30 }, (_, v) => `visitor${v}`),
      recentIds: [], lastRelease: `1.${i % 5}.0`, grouping: { rule: 'frames', detail: `in-app frames of TypeError: lib/${area}.js` },
      // The busiest issues carry a full activity log and breakdown slots; the rest little of either, as in life.
      activity: Array.from({ length: i < BUSY ? 50 : 2 }, (_, a) => ({ at: new Date(lastSeen.getTime() - a * 60_000), action: 'new-release', actor: null, via: null, detail: `1.${a}.0` })),
      bd: Object.fromEntries(Array.from({ length: i < BUSY ? 15 : 1 }, (_, d) => [String((today - d) % 15), {
        day: today - d, total: 40, release: { '1\uFF0E4\uFF0E2': 30, '1\uFF0E4\uFF0E1': 10 }, environment: { production: 40 },
        route: { [`/api/${area}/:id`]: 40 }, browser: { Chrome: 25, Firefox: 10, curl: 5 }, host: { 'web-1': 20, 'web-2': 20 },
      }])),
    };
  });
  await insertInBatches(connection, 'tripwire_issues', issueDocs);
  const linkDocs = Array.from({ length: size.links }, (_, i) => ({
    _id: `link:/old/${i}`, title: `Broken link: /old/${i}`, url: `/old/${i}`, referer: 'https://elsewhere.example/', internal: false, userAgents: ['bot'],
    firstSeen: new Date(now.getTime() - DAY_MS - i * 30_000), lastSeen: new Date(now.getTime() - i * 30_000 - 15_000), count: 1 + (i % 40),
    lastEventId: '', status: 'open', environments: ['production'], releases: ['1.4.2'], userIds: [], recentIds: [],
  }));
  await insertInBatches(connection, 'tripwire_broken_links', linkDocs);
  const events: object[] = [];
  for (let i = 0; i < size.events; i++) {
    // The first issues get most of the events (as in life, a few issues are most of the traffic), spread over 14 days.
    const issue = i % 2 === 0 ? i % 20 : (i * 31) % size.issues;
    events.push({
      _id: `ev-${i}`, fingerprint: `bench-${issue}`, kind: 'error', timestamp: new Date(now.getTime() - ((i * 104_729) % (14 * DAY_MS))),
      title: 'TypeError: Cannot read properties of undefined', status: 500,
      error: { type: 'TypeError', message: `Cannot read properties of undefined (reading 'id') #${i}`, frames: [{ file: 'lib/checkout.js', line: 42, function: 'loadCart', inApp: true }] },
      request: { method: 'GET', url: '/api/checkout?step=2', path: '/api/checkout', route: '/api/checkout', ip: '203.0.113.7', userAgent: 'bench', requestId: `req-${i % (size.events / 2)}` },
      user: { id: String(i % 100), username: `user${i % 100}` }, environment: 'production', release: `1.${i % 5}.0`, host: `web-${i % 3}`, pid: 1, occurrences: 1,
    });
    if (events.length === BATCH) await insertInBatches(connection, 'tripwire_events', events.splice(0));
  }
  await insertInBatches(connection, 'tripwire_events', events.splice(0));
  return { fingerprint: 'bench-0', requestId: 'req-0', eventId: 'ev-0', now };
}

async function insertInBatches(connection: Connection, name: string, docs: object[]): Promise<void> {
  for (let i = 0; i < docs.length; i += BATCH) await connection.collection(name).insertMany(docs.slice(i, i + BATCH) as never[], { ordered: false });
}

export interface ReadCost {
  commands: Record<string, number>;
  queries: number;
  /** Documents the server returned (cursor batches). */
  documents: number;
}

const DATA_COMMANDS = new Set(['find', 'aggregate', 'getMore', 'count', 'distinct', 'findAndModify', 'update', 'insert', 'delete']);

/** Counts the data commands sent on `connection` (opened with `monitorCommands: true`) and the documents their cursors return. */
export function watchCommands(connection: Connection): { measure<T>(read: () => Promise<T>): Promise<{ value: T; cost: ReadCost }> } {
  let current: ReadCost | null = null;
  const client = connection.getClient();
  client.on('commandStarted', (event) => {
    if (current && DATA_COMMANDS.has(event.commandName)) {
      current.queries++;
      current.commands[event.commandName] = (current.commands[event.commandName] ?? 0) + 1;
    }
  });
  client.on('commandSucceeded', (event) => {
    const cursor = (event.reply as { cursor?: { firstBatch?: unknown[]; nextBatch?: unknown[] } } | undefined)?.cursor;
    if (current && cursor) current.documents += (cursor.firstBatch ?? cursor.nextBatch ?? []).length;
  });
  return {
    async measure(read) {
      current = { commands: {}, queries: 0, documents: 0 };
      try {
        const value = await read();
        return { value, cost: current };
      } finally {
        current = null;
      }
    },
  };
}

/**
 * The reads the dashboard makes of a store at this size, by name; `rows` are the
 * fingerprints of the list's first page (its row charts), `perPage` the listing's page size.
 */
export function dashboardReads(store: IssueStore, seeded: Seeded, rows: string[], perPage = 50): Array<[string, () => Promise<unknown>]> {
  return [
    ['listIssues (both kinds, page 1)', () => store.listIssues({ perPage })],
    ['listIssues (both kinds, page 100)', () => store.listIssues({ perPage, page: 100 })],
    ['listIssues (errors by count, page 20)', () => store.listIssues({ kind: 'error', sort: 'count', perPage, page: 20 })],
    ['listIssues (environment + release)', () => store.listIssues({ environment: 'staging', release: '1.0.0', perPage })],
    ['listIssues (search)', () => store.listIssues({ q: 'checkout', perPage })],
    ['listIssues (resolved)', () => store.listIssues({ status: 'resolved', perPage })],
    ['getIssue', () => store.getIssue('error', seeded.fingerprint)],
    ['histograms (a page of rows, by hour)', () => store.histograms!(rows, { by: 'hour', now: seeded.now })],
    ['histogram (by day)', () => store.histogram(seeded.fingerprint, { by: 'day', now: seeded.now })],
    ['listEvents (page 5)', () => store.listEvents(seeded.fingerprint, { page: 5, perPage: 20 })],
    ['getEvent', () => store.getEvent(seeded.eventId)],
    ['findEvents', () => store.findEvents({ requestId: seeded.requestId })],
    ['breakdowns', () => store.breakdowns!(seeded.fingerprint, { now: seeded.now })],
    ['activity', () => store.activity!('error', seeded.fingerprint)],
    ['filterValues', () => store.filterValues!()],
  ];
}
