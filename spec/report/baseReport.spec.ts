import { expect } from 'chai';
import os from 'node:os';
import { baseReport } from '../../lib/report/baseReport';
import { ANONYMOUS } from '../../lib/report/anonymous';
import { serverHostname } from '../../lib/report/serverHostname';
import { serverTimeZone } from '../../lib/report/serverTimeZone';

describe('baseReport', () => {
  it('fills every field a report starts from, with a fresh id, time and anonymous user', () => {
    const before = Date.now();
    const report = baseReport({ kind: 'error', title: 'TypeError: boom', status: 500 });
    expect(report).to.include({ kind: 'error', title: 'TypeError: boom', status: 500, fingerprint: '', error: null, brokenLink: null, request: null, environment: 'unknown', release: null, pid: process.pid });
    expect(report.id).to.match(/^[0-9a-f-]{36}$/);
    expect(Date.parse(report.timestamp)).to.be.within(before, Date.now());
    expect(report.user).to.deep.equal(ANONYMOUS);
    expect(report.user, 'a copy: one report cannot change the next').to.not.equal(ANONYMOUS);
    expect(report.host).to.equal(os.hostname());
    expect(report.timezone).to.equal(serverTimeZone());
    expect(baseReport({ kind: 'error', title: 't', status: 500 }).id).to.not.equal(report.id);
  });

  it('lets the builder override what it knows', () => {
    const report = baseReport({ kind: 'broken-link', title: 'Broken link: /x', status: 404, environment: 'production', host: 'web-1' });
    expect(report).to.include({ kind: 'broken-link', environment: 'production', host: 'web-1' });
  });

  it('reads the host name and time zone once, as the system gives them', () => {
    expect(serverHostname()).to.equal(os.hostname());
    expect(serverHostname()).to.equal(serverHostname());
    expect(serverTimeZone()).to.equal(Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
  });
});
