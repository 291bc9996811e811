import type { Context } from 'koa';
import type { ReportUser } from './Report';
import { ANONYMOUS, type ReportOptions } from './reportOptions';
import { truncate } from './scrub/truncate';

/** The user from the `getUser` option, anonymous when it throws or returns something unusable. */
export function reportUser(ctx: Context, options: ReportOptions): ReportUser {
  try {
    const user: unknown = options.getUser(ctx);
    if (!user || typeof user !== 'object') return { ...ANONYMOUS };
    const { id, username } = user as Record<string, unknown>;
    const max = options.limits.maxStringLength;
    return {
      id: typeof id === 'string' ? truncate(id, max) : typeof id === 'number' ? String(id) : null,
      username: typeof username === 'string' && username !== '' ? truncate(username, max) : ANONYMOUS.username,
    };
  } catch {
    return { ...ANONYMOUS };
  }
}
