import type { ReportUser } from './Report';

/** Who a report names when the request has no user (or reading it failed). */
export const ANONYMOUS: Readonly<ReportUser> = Object.freeze({ id: null, username: 'Anonymous' });
