// Valid Report literals for notifier specs, independent of the real report builders.
// Overrides are shallow: pass a whole `request` or `error` to change one of their fields.
import type { Report } from '../../lib/report/Report';

export function sampleErrorReport(overrides: Partial<Report> = {}): Report {
  return {
    id: '6650f1c2a1b2c3d4e5f60718',
    kind: 'error',
    title: "TypeError: Cannot read properties of undefined (reading 'id')",
    timestamp: '2025-03-01T13:05:09.000Z',
    timezone: 'Europe/Paris',
    status: 500,
    fingerprint: 'f3a9c1d2e4b5',
    error: {
      type: 'TypeError',
      message: "Cannot read properties of undefined (reading 'id')",
      stack: "TypeError: Cannot read properties of undefined (reading 'id')\n    at loadOrder (/srv/app/lib/orders.js:42:17)\n    at dispatch (/srv/app/node_modules/koa-compose/index.js:42:32)",
      frames: [
        { file: '/srv/app/node_modules/koa-compose/index.js', line: 42, column: 32, function: 'dispatch', inApp: false },
        { file: '/srv/app/lib/orders.js', line: 42, column: 17, function: 'loadOrder', inApp: true },
      ],
      cause: [],
      extra: {},
    },
    brokenLink: null,
    request: {
      method: 'GET',
      url: '/orders/42?expand=items',
      path: '/orders/42',
      query: { expand: 'items' },
      headers: { host: 'shop.example.com', 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64)', cookie: '********************' },
      body: null,
      ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
      referer: 'https://shop.example.com/orders',
      requestId: 'req-7f3a',
    },
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
  return {
    id: '6650f1c2a1b2c3d4e5f60719',
    kind: 'broken-link',
    title: 'Broken INTERNAL link on shop.example.com',
    timestamp: '2025-03-01T13:06:00.000Z',
    timezone: 'Europe/Paris',
    status: 404,
    fingerprint: 'b7e2d4c6a8f0',
    error: null,
    brokenLink: { url: '/old-page?ref=nav', referer: 'https://shop.example.com/home', internal: true },
    request: {
      method: 'GET',
      url: '/old-page?ref=nav',
      path: '/old-page',
      query: { ref: 'nav' },
      headers: { host: 'shop.example.com', referer: 'https://shop.example.com/home' },
      body: null,
      ip: '198.51.100.23',
      userAgent: 'Mozilla/5.0 (Macintosh)',
      referer: 'https://shop.example.com/home',
      requestId: 'req-9b1c',
    },
    user: { id: null, username: '' },
    environment: 'production',
    release: '1.4.2',
    host: 'web-1',
    pid: 4242,
    alert: { reason: 'new', suppressed: 0, windowMs: 600_000, count: 1 },
    ...overrides,
  };
}
