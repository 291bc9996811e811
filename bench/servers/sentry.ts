// Koa + @sentry/node's Koa error handler, offline (see sentryInit). The error path
// answers Koa's own 500 after Sentry captured the exception.
import { Sentry, sentryEvents } from './sentryInit';
import { benchApp, benchRouter, serve } from './serve';

const app = benchApp();
Sentry.setupKoaErrorHandler(app);
const router = benchRouter();
app.use(router.routes());
app.use(router.allowedMethods());
serve(app, 'sentry', {
  info: () => ({ dsn: Sentry.getClient()?.getDsn() ?? null, eventsProcessed: sentryEvents.processed }),
  close: async () => { await Sentry.close(500); },
});
