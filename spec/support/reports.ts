// Valid Report literals for the delivery and store specs, independent of the real builder.
import { randomUUID } from 'node:crypto';
import type { Report } from '../../lib/report/Report';

export function makeReport(overrides: Partial<Report> = {}): Report {
  return {
    id: randomUUID(),
    kind: 'error',
    title: 'TypeError: boom',
    timestamp: new Date().toISOString(),
    timezone: 'UTC',
    status: 500,
    fingerprint: 'fp-default',
    error: {
      type: 'TypeError',
      message: 'boom',
      stack: 'TypeError: boom\n    at handler (/app/routes/users.ts:42:7)',
      frames: [
        { file: '/app/node_modules/koa-compose/index.js', line: 42, column: 32, function: 'dispatch', inApp: false },
        { file: '/app/routes/users.ts', line: 42, column: 7, function: 'handler', inApp: true },
      ],
      cause: [],
      extra: {},
    },
    brokenLink: null,
    request: {
      method: 'GET',
      url: '/users/1?x=1',
      path: '/users/1',
      query: { x: '1' },
      headers: { 'user-agent': 'spec-agent' },
      body: null,
      ip: '127.0.0.1',
      userAgent: 'spec-agent',
      referer: null,
      requestId: null,
    },
    user: { id: null, username: '' },
    environment: 'test',
    release: null,
    host: 'spec-host',
    pid: process.pid,
    ...overrides,
  };
}

export function makeBrokenLinkReport(url: string, referer: string, overrides: Partial<Report> = {}): Report {
  const base = makeReport();
  return makeReport({
    kind: 'broken-link',
    title: `Broken link: ${url}`,
    status: 404,
    fingerprint: `link:${url}`,
    error: null,
    brokenLink: { url, referer, internal: referer.startsWith('http://127.0.0.1'), },
    request: { ...(base.request as NonNullable<Report['request']>), url, path: url.split('?')[0], referer },
    ...overrides,
  });
}
