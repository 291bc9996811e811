import { createHash } from 'node:crypto';
import type { BrokenLinkInfo } from '../report/Report';

/**
 * The key a broken link's occurrences are counted under for the rate limit, told on the
 * request path without building or scrubbing a report: a hash of the URL and referer,
 * each cut to `maxLength` (as the report cuts them), so its cost is bounded by that
 * length whatever the request carries. It is not the stored fingerprint, which the
 * report computes from the scrubbed link (see buildBrokenLinkReport).
 */
export function brokenLinkKey(link: BrokenLinkInfo, maxLength: number): string {
  return createHash('sha1')
    .update(link.url.slice(0, maxLength))
    .update('\n')
    .update(link.referer.slice(0, maxLength))
    .digest('base64url');
}
