import type { Context } from 'koa';
import type { IssueStore } from '../ports';

/** The checked options every page works with. */
export interface DashboardSettings {
  mount: string;
  store: IssueStore;
  title: string;
  perPage: number;
}

/** What every page and action gets: the request, the settings, and where the dashboard is as the browser sees it. */
export interface View extends DashboardSettings {
  /** The public path of the mount (with koa-mount's prefix), for links, forms and the cookie path. */
  base: string;
  /** The path under the mount, '/' at its root. */
  rest: string;
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
