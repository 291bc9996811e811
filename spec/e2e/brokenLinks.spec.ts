// End to end: broken links through stack() with MongoStore on the live server and a
// local Slack, over HTTP.
import Router from '@koa/router';
import { expect } from 'chai';
import Koa from 'koa';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { MongoStore, silentLogger, SlackNotifier, stack, type Stack } from '../../lib';
import { dropDatabase, dumpDatabase } from '../support/documents';
import { startFakeSlack, type FakeSlack } from '../support/fakeSlack';
import { mongoUri } from '../support/mongoServer';

describe('broken-link reporting, end to end', function () {
  this.timeout(120_000);
  let uri: string;
  let store: MongoStore;
  let slack: FakeSlack;
  let errorSlack: FakeSlack;
  let tripwire: Stack;
  let app: Koa;

  before(async () => {
    uri = await mongoUri('tripwire_e2e_broken_links');
    await dropDatabase(uri);
    store = new MongoStore({ uri });
    slack = await startFakeSlack();
    errorSlack = await startFakeSlack();
    const outboxDir = mkdtempSync(path.join(os.tmpdir(), 'tripwire-links-'));
    tripwire = stack({
      errors: {
        store,
        notifiers: [new SlackNotifier({ webhookUrl: errorSlack.url, minIntervalMs: 10, logger: silentLogger })],
        logger: silentLogger,
        delivery: { outboxDir: path.join(outboxDir, 'errors') },
      },
      brokenLinks: {
        store,
        notifiers: [new SlackNotifier({ webhookUrl: slack.url, minIntervalMs: 10, logger: silentLogger })],
        logger: silentLogger,
        delivery: { outboxDir: path.join(outboxDir, 'links') },
      },
    });
    const router = new Router();
    router.get('/docs/thrown', (ctx) => ctx.throw(404));
    router.get('/docs/set', (ctx) => { ctx.status = 404; ctx.body = 'no such page'; });
    router.get('/api/notes/:id', (ctx) => ctx.throw(404, `No note ${ctx.params.id}`));
    app = new Koa();
    app.silent = true;
    app.use(tripwire);
    app.use(router.routes()).use(router.allowedMethods());
  });

  after(async () => {
    await tripwire.close(5000);
    await store.close();
    await slack.close();
    await errorSlack.close();
  });

  const hit = (url: string, referer?: string) => {
    const req = request(app.callback()).get(url).set('Host', 'shop.example.test').set('User-Agent', 'Mozilla/5.0 (spec)');
    return referer ? req.set('Referer', referer) : req;
  };

  it('sees 404s from an unmatched route, from ctx.throw(404) and from a handler setting 404', async () => {
    await hit('/docs/nowhere', 'https://shop.example.test/index').expect(404);
    await hit('/docs/thrown', 'https://shop.example.test/index').expect(404);
    await hit('/docs/set', 'https://shop.example.test/index').expect(404);
    const api = await hit('/api/notes/9', 'https://shop.example.test/index').expect(404);
    expect(api.body).to.deep.equal({ success: false, result: null, message: 'No note 9' });
    await tripwire.flush();
    const links = (await store.listIssues({ kind: 'broken-link', status: 'all', perPage: 10 })).issues;
    expect(links.map((l) => l.url).sort()).to.deep.equal(['/api/notes/9', '/docs/nowhere', '/docs/set', '/docs/thrown']);
    for (const link of links) expect(link).to.include({ count: 1, internal: true, referer: 'https://shop.example.test/index' });
    expect(slack.requests).to.have.length(4);
    expect(JSON.stringify(slack.requests[0].body)).to.include('Broken INTERNAL link on shop.example.test');
    expect(errorSlack.requests, 'broken links go to the managers, not the admins').to.have.length(0);
  });

  it('alerts once for 100 hits on one broken link and counts all 100', async () => {
    const before = slack.requests.length;
    for (let i = 0; i < 100; i += 1) await hit('/old/pricing', 'https://partner.example.org/blog').expect(404);
    await tripwire.flush();
    const links = (await store.listIssues({ kind: 'broken-link', status: 'all', perPage: 50 })).issues;
    const link = links.find((l) => l.url === '/old/pricing');
    expect(link!).to.include({ count: 100, internal: false, referer: 'https://partner.example.org/blog' });
    expect(link!.userAgents).to.include('Mozilla/5.0 (spec)');
    expect(slack.requests.length - before).to.equal(1);
    expect(JSON.stringify(slack.requests.at(-1)!.body)).to.include('Broken link on shop.example.test');
  });

  it('ignores 404s without a referer, and does not store them', async () => {
    await hit('/typed/by/hand').expect(404);
    await tripwire.flush();
    expect(await dumpDatabase(uri)).not.to.include('/typed/by/hand');
  });
});
