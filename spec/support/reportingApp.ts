// Fixture for the report specs: a tiny real Koa app whose failures come back as
// the report built for them, so specs read real contexts through supertest.
import Koa, { type Context, type Middleware } from 'koa';
import bodyParser from 'koa-bodyparser';
import request from 'supertest';
import type { Report } from '../../lib/report/Report';
import type { ReportOptions } from '../../lib/report/reportOptions';
import { buildErrorReport } from '../../lib/report/buildErrorReport';

export interface ReportingAppOptions {
  /** Runs before the route, e.g. sensitivePostParameters() or setting ctx.state. */
  before?: Middleware[];
  proxy?: boolean;
  status?: number;
}

export function reportingApp(options: ReportOptions, route: (ctx: Context) => unknown, extra: ReportingAppOptions = {}): Koa {
  const app = new Koa({ proxy: extra.proxy ?? false });
  app.use(bodyParser());
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      ctx.status = 200;
      ctx.body = buildErrorReport(err, ctx, options, extra.status);
    }
  });
  for (const middleware of extra.before ?? []) app.use(middleware);
  app.use(async (ctx) => {
    ctx.body = await route(ctx);
  });
  return app;
}

/** Sends one request and returns the report the app built for it. */
export async function reportFor(app: Koa, send: (agent: request.Agent) => request.Test): Promise<Report> {
  const server = app.listen(0, '127.0.0.1');
  try {
    const response = await send(request.agent(server));
    if (response.status !== 200 || !response.body?.id) throw new Error(`expected a report, got ${response.status} ${response.text}`);
    return response.body as Report;
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}
