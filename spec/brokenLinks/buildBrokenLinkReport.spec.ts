import { expect } from 'chai';
import Koa from 'koa';
import request from 'supertest';
import { createHash } from 'node:crypto';
import type { BrokenLinkInfo, Report } from '../../lib/report/Report';
import { brokenLinkText, buildBrokenLinkReport } from '../../lib/brokenLinks/buildBrokenLinkReport';
import { reportOptions } from '../../lib/report/reportOptions';
import { sampleReport, sampleRequest } from '../support/reports';

const SUB = '********************';
const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

async function linkReport(link: (ctx: Koa.Context) => BrokenLinkInfo, send: (agent: request.Agent) => request.Test): Promise<Report> {
  const options = reportOptions({ environment: 'test' });
  const app = new Koa();
  app.use((ctx) => {
    ctx.body = buildBrokenLinkReport(ctx, link(ctx), options);
  });
  const server = app.listen(0, '127.0.0.1');
  try {
    return (await send(request.agent(server)).expect(200)).body as Report;
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('buildBrokenLinkReport', () => {
  it("builds Django's broken INTERNAL link report", async () => {
    const report = await linkReport(
      (ctx) => ({ url: ctx.originalUrl, referer: ctx.get('referer'), internal: true }),
      (agent) => agent.get('/old-page?x=1').set('Host', 'notes.example').set('Referer', 'http://notes.example/index').set('User-Agent', 'spec'),
    );
    expect(report).to.deep.include({
      kind: 'broken-link',
      status: 404,
      title: 'Broken INTERNAL link on notes.example',
      error: null,
      brokenLink: { url: '/old-page?x=1', referer: 'http://notes.example/index', internal: true },
      environment: 'test',
      fingerprint: sha1('/old-page?x=1\nhttp://notes.example/index'),
    });
    expect(report.request).to.deep.include({ path: '/old-page', userAgent: 'spec', referer: 'http://notes.example/index' });
    expect(report.id).to.match(/^[0-9a-f-]{36}$/);
  });

  it('titles external links without INTERNAL', async () => {
    const report = await linkReport(
      () => ({ url: '/gone', referer: 'https://elsewhere.example/', internal: false }),
      (agent) => agent.get('/gone').set('Host', 'notes.example'),
    );
    expect(report.title).to.equal('Broken link on notes.example');
  });

  it('scrubs the link and groups by the scrubbed url', async () => {
    const report = await linkReport(
      (ctx) => ({ url: ctx.originalUrl, referer: ctx.get('referer'), internal: false }),
      (agent) => agent.get('/reset?token=s3cr3t').set('Referer', 'https://u:pw9@mail.example/').set('Cookie', 'sid=c00k'),
    );
    const json = JSON.stringify(report);
    for (const secret of ['s3cr3t', 'pw9', 'c00k']) expect(json).not.to.include(secret);
    expect(report.brokenLink!.url).to.equal(`/reset?token=${SUB}`);
    expect(report.fingerprint).to.equal(sha1(`/reset?token=${SUB}\nhttps://${SUB}@mail.example/`));
  });
});

describe('brokenLinkText', () => {
  it("gives Django's message body", () => {
    const report = sampleReport({
      kind: 'broken-link',
      brokenLink: { url: '/gone', referer: 'https://example.com/', internal: false },
      request: sampleRequest({ userAgent: 'Mozilla/5.0', ip: '203.0.113.5' }),
    });
    expect(brokenLinkText(report)).to.equal(
      'Referrer: https://example.com/\nRequested URL: /gone\nUser agent: Mozilla/5.0\nIP address: 203.0.113.5\n',
    );
  });

  it('shows missing values as <none>, as Django does, and keeps each value on its line', () => {
    const report = sampleReport({
      brokenLink: { url: '/gone\r\nBcc: x', referer: '', internal: false },
      request: sampleRequest({ userAgent: null, ip: '' }),
    });
    expect(brokenLinkText(report)).to.equal('Referrer: <none>\nRequested URL: /gone\\r\\nBcc: x\nUser agent: <none>\nIP address: <none>\n');
    expect(brokenLinkText(sampleReport({ brokenLink: null, request: null }))).to.equal(
      'Referrer: <none>\nRequested URL: <none>\nUser agent: <none>\nIP address: <none>\n',
    );
  });
});
