import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { silentLogger } from '../../lib/core/logger';
import { MongoStore } from '../../lib/index';
import { createDemoApp } from '../../demo/app';
import { MemoryNotes } from '../../demo/notes';
import { DashboardMemoryStore } from '../support/dashboardStore';
import { mongoUri } from '../support/mongoServer';

// Outboxes in the temp dir, not ./.tripwire-outbox of the checkout.
const outbox = () => ({ outboxDir: mkdtempSync(path.join(os.tmpdir(), 'tripwire-demo-app-')) });

describe('demo app', function () {
  this.timeout(30_000);

  it('serves the dashboard behind its password, showing a crash curl just caused; the old JSON views are gone', async () => {
    const store = new MongoStore({ uri: await mongoUri('demo_app_spec'), logger: silentLogger });
    const { app, tripwire } = createDemoApp({ notes: new MemoryNotes(), store, dashboardPassword: 'demo-password-1', tripwire: { errors: { notifiers: [], logger: silentLogger, delivery: outbox() }, brokenLinks: { notifiers: [], logger: silentLogger, delivery: outbox() } } });
    try {
      const agent = request(app.callback());
      expect((await agent.get('/api/crash')).status).to.equal(500);
      await tripwire.flush();
      expect((await agent.get('/_tripwire/')).status).to.equal(401);
      const page = await agent.get('/_tripwire/').auth('admin', 'demo-password-1');
      expect(page.status).to.equal(200);
      expect(page.text).to.include('Could not reach mongodb://').and.not.include('s3cr3t-passw0rd');
      expect((await agent.get('/')).text).to.include('href="/_tripwire/"');
      for (const gone of ['/api/_errors', '/api/_broken-links']) expect((await agent.get(gone).set('Authorization', 'Bearer x')).status).to.equal(404);
    } finally {
      await tripwire.close();
      await store.close();
    }
  });

  it('mounts the dashboard on whatever store the stack has, one kept in memory included', async () => {
    const store = new DashboardMemoryStore();
    const { app, tripwire } = createDemoApp({ notes: new MemoryNotes(), store, dashboardPassword: 'demo-password-1', tripwire: { errors: { notifiers: [], logger: silentLogger, delivery: outbox() }, brokenLinks: false } });
    try {
      expect(tripwire.store).to.equal(store);
      await request(app.callback()).get('/api/crash').expect(500);
      await tripwire.flush();
      const page = await request(app.callback()).get('/_tripwire/').auth('admin', 'demo-password-1');
      expect(page.text).to.include('Could not reach mongodb://').and.not.include('s3cr3t-passw0rd');
    } finally {
      await tripwire.close();
    }
  });

  it('serves no dashboard without a store', async () => {
    const { app, tripwire } = createDemoApp({ notes: new MemoryNotes(), store: null, dashboardPassword: 'demo-password-1', tripwire: { errors: { notifiers: [], logger: silentLogger }, brokenLinks: false } });
    expect((await request(app.callback()).get('/_tripwire/').auth('admin', 'demo-password-1')).status).to.equal(404);
    await tripwire.close();
  });
});
