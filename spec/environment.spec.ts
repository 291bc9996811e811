import { expect } from 'chai';
import mongoose from 'mongoose';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { brokenLinkReporter, errorReporter, silentLogger, SlackNotifier } from '../lib';
import { ENVIRONMENT_VARIABLES, notifiersFromEnvironment, storeFromEnvironment } from '../lib/environment';
import { mongoUri } from './support/mongoServer';

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
    const env = { SLACK_WEBHOOK_URL: 'http://127.0.0.1:9/hook' };
    const [a] = notifiersFromEnvironment(silentLogger, env) as SlackNotifier[];
    const [b] = notifiersFromEnvironment(silentLogger, env) as SlackNotifier[];
    expect(a).to.be.instanceOf(SlackNotifier);
    expect(a.stats, 'one queue, one set of counters').to.equal(b.stats);
    await a.close();
    await a.close(); // a second close by the same user releases nothing more
    const [c] = notifiersFromEnvironment(silentLogger, env) as SlackNotifier[];
    expect(c.stats, 'still held by b: the same notifier').to.equal(b.stats);
    await b.close();
    await c.close();
    const [fresh] = notifiersFromEnvironment(silentLogger, env) as SlackNotifier[];
    expect(fresh.stats, 'after the last close a new one is made').to.not.equal(b.stats);
    await fresh.close();
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
      await errors.close(2000);
      expect(opened[0].readyState, 'still used by the broken-link reporter').to.not.equal(mongoose.STATES.disconnected);
      await links.close(2000);
      expect(opened[0].readyState).to.equal(mongoose.STATES.disconnected);
    } finally {
      if (saved === undefined) delete process.env.MONGODB_URI;
      else process.env.MONGODB_URI = saved;
    }
  });
});
