import { expect } from 'chai';
import { MemoryStore } from '../../lib/stores/memory/MemoryStore';
import { silentLogger, SlackNotifier } from '../../lib';
import { defaultNotifiers, defaultStore, ENVIRONMENT_VARIABLES } from '../../lib/client/environmentDefaults';
import { MongoStore } from '../../lib/stores/mongo/MongoStore';
import { mongoUri } from '../support/mongoServer';

describe('environment defaults', () => {
  it('reads MONGODB_URI and SLACK_WEBHOOK_URL', () => {
    expect(ENVIRONMENT_VARIABLES).to.deep.equal(['MONGODB_URI', 'SLACK_WEBHOOK_URL']);
  });

  it('without variables: a MemoryStore, and the console as the one notifier', () => {
    expect(defaultStore(silentLogger, {})).to.be.instanceOf(MemoryStore);
    expect(defaultStore(silentLogger, { MONGODB_URI: '  ' })).to.be.instanceOf(MemoryStore);
    expect(defaultNotifiers(silentLogger, {}).map((n) => n.name)).to.deep.equal(['console']);
  });

  it('are plain factories: each call makes its own part, which its caller owns', async () => {
    const env = { SLACK_WEBHOOK_URL: 'http://127.0.0.1:9/hook', MONGODB_URI: await mongoUri('tripwire_environment') };
    const [a] = defaultNotifiers(silentLogger, env);
    const [b] = defaultNotifiers(silentLogger, env);
    expect(a).to.be.instanceOf(SlackNotifier);
    expect(a).to.not.equal(b);
    const store = defaultStore(silentLogger, env);
    expect(store).to.be.instanceOf(MongoStore);
    expect(defaultStore(silentLogger, env)).to.not.equal(store);
    await Promise.all([a.close?.(0), b.close?.(0), store?.close?.()]);
  });
});
