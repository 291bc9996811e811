import type { Context } from 'koa';

/**
 * What is reported for a 5xx response set without a throw (Django reports those too).
 * It groups by status, method and the matched route; with no matched route (a
 * maintenance middleware, a proxy answering 503 for every path) by status and method
 * only: never by the raw path, which the client chooses, so 100 random paths make one
 * issue and one alert, not 100.
 */
export class ResponseStatus extends Error {
  readonly fingerprint: string[];

  constructor(ctx: Context) {
    super(`Response status ${ctx.status} set without an exception`);
    this.name = 'ResponseStatus';
    // No stack worth grouping by: the status and the route are the bug.
    const route = (ctx as Context & { _matchedRoute?: unknown })._matchedRoute;
    this.fingerprint = ['ResponseStatus', String(ctx.status), String(ctx.method)];
    if (typeof route === 'string' && route !== '') this.fingerprint.push(route);
  }
}
