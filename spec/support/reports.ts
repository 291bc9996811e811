// Hand-built Report literals for the specs, independent of the real report builders.
// Overrides are shallow: pass a whole `request` or `error` (built with sampleRequest() /
// sampleError() and their own overrides) to change one of their fields.
//
//   sampleRequest, sampleError, sampleReport      report and filter specs: a minimal report
//                                                 of GET /notes to feed the filter directly.
//   makeReport, makeBrokenLinkReport              delivery and store specs: a fresh random id
//                                                 and the current time on every call.
//   sampleErrorReport, sampleBrokenLinkReport     notifier specs: realistic, fully fixed values
//                                                 (ids, times, alert) for rendered output.
import { randomUUID } from 'node:crypto';
import type { Report, RequestInfo, ErrorInfo } from '../../lib/report/Report';

export function sampleRequest(overrides: Partial<RequestInfo> = {}): RequestInfo {
  return {
    method: 'GET',
    url: '/notes',
    path: '/notes',
    query: {},
    headers: {},
    body: null,
    ip: '127.0.0.1',
    userAgent: null,
    referer: null,
    requestId: null,
    ...overrides,
  };
}

export function sampleError(overrides: Partial<ErrorInfo> = {}): ErrorInfo {
  return { type: 'Error', message: 'boom', stack: null, frames: [], cause: [], extra: {}, ...overrides };
}

export function sampleReport(overrides: Partial<Report> = {}): Report {
  return {
    id: '00000000-0000-4000-8000-000000000000',
    kind: 'error',
    title: 'Internal Server Error: /notes',
    timestamp: '2024-01-01T00:00:00.000Z',
    timezone: 'UTC',
    status: 500,
    fingerprint: 'f',
    error: sampleError(),
    brokenLink: null,
    request: sampleRequest(),
    user: { id: null, username: 'Anonymous' },
    environment: 'test',
    release: null,
    host: 'host',
    pid: 1,
    ...overrides,
  };
}

/** The request of makeReport(): GET /users/1?x=1 from spec-agent. */
function makeRequest(overrides: Partial<RequestInfo> = {}): RequestInfo {
  return sampleRequest({
    url: '/users/1?x=1',
    path: '/users/1',
    query: { x: '1' },
    headers: { 'user-agent': 'spec-agent' },
    userAgent: 'spec-agent',
    ...overrides,
  });
}

export function makeReport(overrides: Partial<Report> = {}): Report {
  return {
    id: randomUUID(),
    kind: 'error',
    title: 'TypeError: boom',
    timestamp: new Date().toISOString(),
    timezone: 'UTC',
    status: 500,
    fingerprint: 'fp-default',
    error: sampleError({
      type: 'TypeError',
      stack: 'TypeError: boom\n    at handler (/app/routes/users.ts:42:7)',
      frames: [
        { file: '/app/node_modules/koa-compose/index.js', line: 42, column: 32, function: 'dispatch', inApp: false },
        { file: '/app/routes/users.ts', line: 42, column: 7, function: 'handler', inApp: true },
      ],
    }),
    brokenLink: null,
    request: makeRequest(),
    user: { id: null, username: '' },
    environment: 'test',
    release: null,
    host: 'spec-host',
    pid: process.pid,
    ...overrides,
  };
}

export function makeBrokenLinkReport(url: string, referer: string, overrides: Partial<Report> = {}): Report {
  return makeReport({
    kind: 'broken-link',
    title: `Broken link: ${url}`,
    status: 404,
    fingerprint: `link:${url}`,
    error: null,
    brokenLink: { url, referer, internal: referer.startsWith('http://127.0.0.1') },
    request: makeRequest({ url, path: url.split('?')[0], referer }),
    ...overrides,
  });
}

export function sampleErrorReport(overrides: Partial<Report> = {}): Report {
  return {
    id: '6650f1c2a1b2c3d4e5f60718',
    kind: 'error',
    title: "TypeError: Cannot read properties of undefined (reading 'id')",
    timestamp: '2025-03-01T13:05:09.000Z',
    timezone: 'Europe/Paris',
    status: 500,
    fingerprint: 'f3a9c1d2e4b5',
    error: sampleError({
      type: 'TypeError',
      message: "Cannot read properties of undefined (reading 'id')",
      stack: "TypeError: Cannot read properties of undefined (reading 'id')\n    at loadOrder (/srv/app/lib/orders.js:42:17)\n    at dispatch (/srv/app/node_modules/koa-compose/index.js:42:32)",
      frames: [
        { file: '/srv/app/node_modules/koa-compose/index.js', line: 42, column: 32, function: 'dispatch', inApp: false },
        { file: '/srv/app/lib/orders.js', line: 42, column: 17, function: 'loadOrder', inApp: true },
      ],
    }),
    brokenLink: null,
    request: sampleRequest({
      url: '/orders/42?expand=items',
      path: '/orders/42',
      query: { expand: 'items' },
      headers: { host: 'shop.example.com', 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64)', cookie: '********************' },
      ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
      referer: 'https://shop.example.com/orders',
      requestId: 'req-7f3a',
    }),
    user: { id: '42', username: 'alice' },
    environment: 'production',
    release: '1.4.2',
    host: 'web-1',
    pid: 4242,
    alert: { reason: 'new', suppressed: 0, windowMs: 600_000, count: 1 },
    ...overrides,
  };
}

export function sampleBrokenLinkReport(overrides: Partial<Report> = {}): Report {
  return sampleErrorReport({
    id: '6650f1c2a1b2c3d4e5f60719',
    kind: 'broken-link',
    title: 'Broken INTERNAL link on shop.example.com',
    timestamp: '2025-03-01T13:06:00.000Z',
    status: 404,
    fingerprint: 'b7e2d4c6a8f0',
    error: null,
    brokenLink: { url: '/old-page?ref=nav', referer: 'https://shop.example.com/home', internal: true },
    request: sampleRequest({
      url: '/old-page?ref=nav',
      path: '/old-page',
      query: { ref: 'nav' },
      headers: { host: 'shop.example.com', referer: 'https://shop.example.com/home' },
      ip: '198.51.100.23',
      userAgent: 'Mozilla/5.0 (Macintosh)',
      referer: 'https://shop.example.com/home',
      requestId: 'req-9b1c',
    }),
    user: { id: null, username: '' },
    ...overrides,
  });
}
