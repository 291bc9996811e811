// What a user would assemble for the same job without koa-tripwire (issue 14 §3):
// koa-requestid (X-Request-Id in and out), a ten-line envelope middleware as the Koa wiki
// writes error handling (catch, shape, `app.emit('error')`), @sentry/node's Koa error
// handler on that event (offline, see sentryInit) and koa-bodyparser.
import { Sentry, sentryEvents } from './sentryInit';
import type { Middleware } from 'koa';
import bodyParser from 'koa-bodyparser';
import requestId from 'koa-requestid';
import { benchApp, benchRouter, serve } from './serve';

const envelope: Middleware = async (ctx, next) => {
  try {
    await next();
    if (ctx.path.startsWith('/api/')) ctx.body = { success: ctx.status < 400, result: ctx.body ?? null, message: null };
  } catch (err) {
    const e = err as { status?: number; expose?: boolean; message?: string };
    ctx.status = typeof e.status === 'number' ? e.status : 500;
    ctx.body = { success: false, result: null, message: e.expose ? e.message : 'Internal Server Error' };
    if (ctx.status >= 500) ctx.app.emit('error', err, ctx);
  }
};

const app = benchApp();
Sentry.setupKoaErrorHandler(app);
app.use(requestId({ expose: 'X-Request-Id', header: 'X-Request-Id', query: false }));
app.use(envelope);
app.use(bodyParser());
const router = benchRouter();
app.use(router.routes());
app.use(router.allowedMethods());
serve(app, 'assembled', {
  info: () => ({ eventsProcessed: sentryEvents.processed }),
  close: async () => { await Sentry.close(500); },
});
