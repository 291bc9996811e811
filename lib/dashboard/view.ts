import type { Context } from 'koa';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import type { IssueStore, IssueSummary } from '../contracts/issueStore';
import type { UndoLog } from './undoLog';

/** The checked options every page works with. */
export interface DashboardSettings {
  mount: string;
  store: IssueStore;
  title: string;
  perPage: number;
  /** The app's release now, passed with every status change. */
  release: string | null;
  apiToken: string | null;
  loginThrottle: { perIp: number; overall: number; windowMs: number };
  logger: Logger;
  clock: Clock;
}

/** What every page and action gets: the request, the settings, and where the dashboard is as the browser sees it. */
export interface View extends DashboardSettings {
  /** The public path of the mount (with koa-mount's prefix), for links, forms and the cookie path. */
  base: string;
  /** The path under the mount, '/' at its root. */
  rest: string;
  /** Who is looking: Basic auth's username, the `auth` function's `{ user }`, or `ctx.state.user`; null when unknown. */
  actor: string | null;
  /** Status actions of the last hour, for the Undo after each. */
  undo: UndoLog;
  /** The request came with the API's Bearer token (no cookie, so no CSRF check). */
  bearer: boolean;
}

export interface PageContext extends View {
  ctx: Context;
  csrf: string;
  now: Date;
}

/** A query parameter as one bounded string, or undefined (arrays and over-long values are ignored). */
export function queryParam(ctx: Context, name: string, maxLength = 200): string | undefined {
  const value = ctx.query[name];
  if (typeof value !== 'string' || value === '' || value.length > maxLength) return undefined;
  return value;
}

export function pageNumber(value: string | undefined, max = 10_000): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 ? Math.min(n, max) : 1;
}

/** The issue of either kind with this fingerprint (the pages and the API address issues by fingerprint alone). */
export async function findIssue(view: Pick<View, 'store'>, fingerprint: string): Promise<IssueSummary | null> {
  return (await view.store.getIssue('error', fingerprint)) ?? (await view.store.getIssue('broken-link', fingerprint));
}
