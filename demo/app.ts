// The demo REST API: a small notes resource plus one route per behaviour of
// koa-tripwire, so each can be tried with curl (see the README).
import Router from '@koa/router';
import axios from 'axios';
import Koa from 'koa';
import {
  formatResponse, rawResponse, sensitivePostParameters, stack, type StackOptions, type Store,
} from 'koa-tripwire';
import { validateNote, type NoteRepository } from './notes';

export interface DemoOptions {
  notes: NoteRepository;
  /**
   * The store the reporters write to; the dashboard reads it. Left out, the stack's own
   * default: MongoDB on MONGODB_URI when it is set, else memory.
   */
  store?: Store | null;
  /** The dashboard's password (user `admin`); the dashboard is served at /_tripwire/ whenever the stack has a store. */
  dashboardPassword?: string;
  tripwire?: StackOptions;
  /** The upstream /api/rates asks with axios (DEMO_RATES_URL; by default a port where nothing listens), to show an upstream failure. */
  ratesUrl?: string;
}

export function createDemoApp(options: DemoOptions) {
  const { notes, store, dashboardPassword } = options;
  const app = new Koa();
  // Koa's default error listener prints the raw error, secrets included, to stderr;
  // tripwire already reports every server error, scrubbed, so that printer is turned off.
  app.silent = true;
  const chosen = store === undefined ? {} : { store };
  const tripwire = stack({
    ...options.tripwire,
    errors: options.tripwire?.errors === false ? false : { ...chosen, ...options.tripwire?.errors },
    brokenLinks: options.tripwire?.brokenLinks === false ? false : { ...chosen, ...options.tripwire?.brokenLinks },
  });
  // The issues dashboard, before the stack so its pages are never enveloped (either order works).
  const withDashboard = tripwire.store !== null && Boolean(dashboardPassword);
  if (withDashboard) app.use(tripwire.dashboard({ auth: { username: 'admin', password: dashboardPassword! }, title: 'koa-tripwire demo' }));
  app.use(tripwire);

  const router = new Router();

  router.get('/', (ctx) => {
    ctx.type = 'html';
    ctx.body = '<!doctype html><title>koa-tripwire demo</title>'
      + '<h1>koa-tripwire demo</h1><p><a href="/api/notes">Notes</a> · <a href="/api/crash">A crash</a> · <a href="/docs/getting-started">Getting started</a> (a broken link)'
      + (withDashboard ? ' · <a href="/_tripwire/">The issues dashboard</a>' : '') + '</p>';
  });
  router.get('/health', formatResponse(), (ctx) => { ctx.body = { status: 'up', uptime: Math.round(process.uptime()) }; });

  router.get('/api/notes', async (ctx) => { ctx.body = await notes.list(); });
  router.post('/api/notes', async (ctx) => {
    const checked = validateNote(ctx.request.body);
    if ('problems' in checked) return ctx.throw(422, checked.problems.join('; '));
    ctx.status = 201;
    ctx.body = { message: 'Note created', note: await notes.create(checked.input as Required<typeof checked.input>) };
  });
  router.get('/api/notes/export.csv', rawResponse(), async (ctx) => {
    const rows = (await notes.list()).map((n) => [n.id, n.title, n.createdAt].map(csvCell).join(','));
    ctx.type = 'text/csv';
    ctx.attachment('notes.csv');
    ctx.body = ['id,title,createdAt', ...rows].join('\n') + '\n';
  });
  router.get('/api/notes/:id', async (ctx) => {
    ctx.body = (await notes.get(ctx.params.id)) ?? ctx.throw(404, `No note ${ctx.params.id}`);
  });
  router.patch('/api/notes/:id', async (ctx) => {
    const checked = validateNote(ctx.request.body, true);
    if ('problems' in checked) return ctx.throw(422, checked.problems.join('; '));
    ctx.body = (await notes.update(ctx.params.id, checked.input)) ?? ctx.throw(404, `No note ${ctx.params.id}`);
  });
  router.delete('/api/notes/:id', async (ctx) => {
    if (!(await notes.remove(ctx.params.id))) ctx.throw(404, `No note ${ctx.params.id}`);
    ctx.status = 204;
  });

  // A bug on purpose: the report shows the stack, the scrubbed request and the user,
  // and never the connection string's password in the message.
  router.get('/api/crash', () => {
    throw new Error('Could not reach mongodb://reporting:s3cr3t-passw0rd@db.internal:27017/notes');
  });
  // An upstream that fails: the issue page shows the request axios made (scrubbed) and the answer, before any frame.
  router.get('/api/rates', async (ctx) => {
    const { data } = await axios.get(options.ratesUrl ?? process.env.DEMO_RATES_URL ?? 'http://127.0.0.1:9/v1/rates?api_key=demo-key-123', { timeout: 3000 });
    ctx.body = data;
  });
  // Django's sensitive_post_parameters: the password never reaches a report.
  router.post('/api/login', sensitivePostParameters('password'), (ctx) => {
    const { username } = (ctx.request.body ?? {}) as { username?: string };
    if (!username) ctx.throw(400, 'username is required');
    throw new Error(`Login backend unavailable for ${username}`);
  });

  app.use(router.routes()).use(router.allowedMethods());
  return { app, tripwire };
}

function csvCell(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
