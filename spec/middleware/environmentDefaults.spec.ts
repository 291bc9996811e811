import { expect } from 'chai';
import mongoose from 'mongoose';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { brokenLinkReporter, errorReporter, silentLogger, SlackNotifier } from '../../lib';
import { ENVIRONMENT_VARIABLES, notifiersFromEnvironment, storeFromEnvironment } from '../../lib/middleware/environmentDefaults';
import { mongoUri } from '../support/mongoServer';
import { startFakeSlack } from '../support/fakeSlack';
import { sampleErrorReport } from '../support/reports';
import type { MongoStore } from '../../lib/stores/mongo/MongoStore';

const outbox = () => ({ outboxDir: mkdtempSync(path.join(os.tmpdir(), 'tripwire-env-')) });

describe('environment defaults', () => {
  it('reads MONGODB_URI and SLACK_WEBHOOK_URL', () => {
    expect(ENVIRONMENT_VARIABLES).to.deep.equal(['MONGODB_URI', 'SLACK_WEBHOOK_URL']);
  });

  it('without variables: no store, and the console as the one notifier', async () => {
    expect(storeFromEnvironment(silentLogger, {})).to.equal(null);
    const notifiers = notifiersFromEnvironment(silentLogger, {});
    expect(notifiers.map((n) => n.name)).to.deep.equal(['console']);
  });

  it('gives every user of one SLACK_WEBHOOK_URL the same notifier (one queue), closed by the last', async () => {
    // Stats are a fresh snapshot on each read, so sharing shows in the counters: a message
    // sent through one user's handle is counted by every other user's.
    const slack = await startFakeSlack();
    try {
      const env = { SLACK_WEBHOOK_URL: slack.url };
      const [a] = notifiersFromEnvironment(silentLogger, env) as SlackNotifier[];
      const [b] = notifiersFromEnvironment(silentLogger, env) as SlackNotifier[];
      expect(a).to.be.instanceOf(SlackNotifier);
      await a.notify(sampleErrorReport());
      expect(b.stats.sent, 'one queue, one set of counters').to.equal(1);
      await a.close();
      await a.close(); // a second close by the same user releases nothing more
      const [c] = notifiersFromEnvironment(silentLogger, env) as SlackNotifier[];
      expect(c.stats.sent, 'still held by b: the same notifier').to.equal(1);
      await b.close();
      await c.close();
      const [fresh] = notifiersFromEnvironment(silentLogger, env) as SlackNotifier[];
      expect(fresh.stats.sent, 'after the last close a new one is made').to.equal(0);
      await fresh.close();
      expect(slack.requests).to.have.length(1);
    } finally {
      await slack.close();
    }
  });

  it('two reporters composed by hand share one MongoDB connection, closed when both are', async () => {
    const saved = process.env.MONGODB_URI;
    process.env.MONGODB_URI = await mongoUri('tripwire_environment');
    try {
      const before = mongoose.connections.length;
      const errors = errorReporter({ logger: silentLogger, notifiers: [], delivery: outbox() });
      const links = brokenLinkReporter({ logger: silentLogger, notifiers: [], delivery: outbox() });
      const opened = mongoose.connections.slice(before);
      expect(opened, 'one connection for both reporters').to.have.length(1);
      const errorStore = errors.store as MongoStore;
      const linkStore = links.store as MongoStore;
      expect(errorStore.connection).to.equal(linkStore.connection);
      // The store opens its connection on first use.
      await errorStore.listIssues();
      expect(opened[0].readyState).to.equal(mongoose.STATES.connected);
      await errors.close(2000);
      await linkStore.listIssues(); // still used by the broken-link reporter: not closed
      expect(opened[0].readyState, 'still used by the broken-link reporter').to.equal(mongoose.STATES.connected);
      await links.close(2000);
      expect(opened[0].readyState).to.equal(mongoose.STATES.disconnected);
      const afterClose = await linkStore.listIssues().then(() => null, (err: Error) => err);
      expect(afterClose?.message, 'closed when both are').to.equal('MongoStore is closed');
    } finally {
      if (saved === undefined) delete process.env.MONGODB_URI;
      else process.env.MONGODB_URI = saved;
    }
  });
});
