// Which page or action answers a path under the mount.
import type { Context } from 'koa';
import { handleStatusAction, handleUndo } from './actions';
import { handleApi } from './api';
import { csrfToken } from './csrf';
import { layout, errorPage } from './layout';
import { brokenLinksPage } from './pages/brokenLinks';
import { eventsPage } from './pages/events';
import { issuePage } from './pages/issue';
import { issuesPage } from './pages/issues';
import type { SafeHtml } from './html';
import { setNoStore } from './securityHeaders';
import { serveAsset } from './staticAssets';
import type { PageContext, View } from './view';

type Page = (page: PageContext, ...params: string[]) => Promise<{ title: string; body: SafeHtml; status?: number }>;

const PAGES: Array<[RegExp, Page]> = [
  [/^\/$/, issuesPage],
  [/^\/issues\/([^/]+)$/, issuePage],
  [/^\/broken-links$/, brokenLinksPage],
  [/^\/events$/, eventsPage],
];

export async function dispatch(ctx: Context, view: View): Promise<void> {
  const { rest } = view;
  if (rest.startsWith('/assets/')) {
    if (ctx.method === 'GET' || ctx.method === 'HEAD') return void serveAsset(ctx, rest.slice('/assets/'.length));
  } else if (rest.startsWith('/api/')) {
    return handleApi(ctx, view);
  } else if (rest === '/status' || rest === '/undo') {
    if (ctx.method === 'POST') return rest === '/status' ? handleStatusAction(ctx, view) : handleUndo(ctx, view);
  } else if (ctx.method === 'GET' || ctx.method === 'HEAD') {
    return renderPage(ctx, view);
  }
  ctx.status = 405;
  ctx.set('Allow', rest === '/status' || rest === '/undo' ? 'POST' : 'GET, HEAD');
  ctx.type = 'text/plain';
  ctx.body = 'Method Not Allowed';
}

async function renderPage(ctx: Context, view: View): Promise<void> {
  setNoStore(ctx);
  const page: PageContext = { ...view, ctx, csrf: csrfToken(ctx, view.base), now: new Date(view.clock.now()) };
  for (const [pattern, render] of PAGES) {
    const match = pattern.exec(view.rest);
    if (!match) continue;
    const params = match.slice(1).map(decodeParam);
    if (params.includes(null as unknown as string)) break;
    let result: Awaited<ReturnType<Page>>;
    try {
      result = await render(page, ...params);
    } catch (err) {
      // The store's error may quote a connection string: the page says only what happened,
      // the app's error listeners get the error itself.
      ctx.app.emit('error', err, ctx);
      result = { title: 'Store unavailable', status: 503, body: errorPage('The store did not answer', 'Reading issues failed (see the server log); try again in a moment.') };
    }
    ctx.status = result.status ?? 200;
    ctx.type = 'html';
    ctx.body = layout(page, result.title, result.body).text;
    return;
  }
  ctx.status = 404;
  ctx.type = 'html';
  ctx.body = layout(page, 'Not found', errorPage('Not found', 'There is no dashboard page at this address.')).text;
}

function decodeParam(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return null as unknown as string;
  }
}
