// Koa + stack() reporting nowhere (store null, no notifiers): the "no-reporting" error
// path the Slack/MongoDB rows are compared with. The envelope still shapes the 500, and
// the reporter still builds (and discards) each report.
import { silentLogger, stack } from 'koa-tripwire';
import { benchApp, benchRouter, serve } from './serve';

const tripwire = stack({
  errors: { store: null, notifiers: [], logger: silentLogger },
  brokenLinks: { store: null, notifiers: [], logger: silentLogger },
});

const app = benchApp();
const router = benchRouter();
app.use(tripwire);
app.use(router.routes());
app.use(router.allowedMethods());
serve(app, 'tripwire-none', { close: () => tripwire.close(500) });
