import { randomUUID } from 'node:crypto';
import type { Report } from './Report';
import { ANONYMOUS } from './anonymous';
import { serverHostname } from './serverHostname';
import { serverTimeZone } from './serverTimeZone';

/** The fields every report starts from; builders and fallbacks override what they know. */
export function baseReport(fields: Partial<Report> & Pick<Report, 'kind' | 'title' | 'status'>): Report {
  return {
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    timezone: serverTimeZone(),
    fingerprint: '',
    error: null,
    brokenLink: null,
    request: null,
    user: { ...ANONYMOUS },
    environment: 'unknown',
    release: null,
    host: serverHostname(),
    pid: process.pid,
    ...fields,
  };
}
