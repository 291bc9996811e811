// Floods for the alert-budget specs: what an attacker (random paths with an external
// Referer) or a failing dependency (one new issue after another) hands a notifier.
import { randomBytes } from 'node:crypto';
import type { Report } from '../../lib/report/Report';
import { sampleBrokenLinkReport, sampleErrorReport } from './reports';

/** `count` broken links to random paths, each its own issue (a new fingerprint). */
export function randomBrokenLinks(count: number): Report[] {
  return Array.from({ length: count }, (_, i) => {
    const path = `/${randomBytes(6).toString('hex')}`;
    const base = sampleBrokenLinkReport();
    return sampleBrokenLinkReport({
      id: `bl-${i}`,
      fingerprint: `bl-${path}`,
      brokenLink: { url: path, referer: 'https://elsewhere.example/', internal: false },
      request: { ...base.request!, url: path, path },
      title: 'Broken link on shop.example.com',
    });
  });
}

/** `count` new issues, each with its own fingerprint and title. */
export function newIssues(count: number): Report[] {
  return Array.from({ length: count }, (_, i) => sampleErrorReport({
    id: `err-${i}`,
    fingerprint: `fp-${i}-${randomBytes(4).toString('hex')}`,
    title: `TypeError: failure number ${i}`,
    alert: { reason: 'new', suppressed: 0, windowMs: 600_000, count: 1 },
  }));
}
