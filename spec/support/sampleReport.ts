// Fixture for the report specs: a hand-built report to feed the filter directly.
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
