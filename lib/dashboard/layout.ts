// The page shell: header with the navigation, one stylesheet and one script, both files under the mount.
import { html, type SafeHtml } from './html';
import { ASSET_VERSION } from './staticAssets';
import type { PageContext } from './view';

export function layout(page: PageContext, title: string, body: SafeHtml): SafeHtml {
  const { base, rest } = page;
  const nav = (href: string, label: string, active: boolean) =>
    html`<a href="${base}${href}"${active ? html` aria-current="page"` : ''}>${label}</a>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${page.title}</title>
<link rel="icon" href="${base}/assets/favicon.svg?v=${ASSET_VERSION}" type="image/svg+xml">
<link rel="stylesheet" href="${base}/assets/dashboard.css?v=${ASSET_VERSION}">
<script src="${base}/assets/dashboard.js?v=${ASSET_VERSION}" defer></script>
</head>
<body>
<header class="top">
<a class="brand" href="${base}/">${page.title}</a>
<nav>${nav('/', 'Issues', rest === '/' || rest.startsWith('/issues/'))}${nav('/broken-links', 'Broken links', rest === '/broken-links')}${nav('/events', 'Find by request id', rest === '/events')}</nav>
</header>
<main>
${actionNotice(page)}
${body}
</main>
</body>
</html>
`;
}

/**
 * After a status action: what it did ("3 issues resolved") and an Undo, a POST with the
 * session's CSRF token that puts every issue back as it was.
 */
function actionNotice(page: PageContext): SafeHtml | string {
  const id = page.ctx.query.done;
  const record = typeof id === 'string' && id.length <= 40 ? page.undo.get(id, page.clock.now()) : null;
  if (!record) return '';
  const n = record.previous.length;
  const what = `${n} issue${n === 1 ? '' : 's'} ${record.status === 'undone' ? 'restored' : record.status === 'open' ? 'reopened' : record.status}`;
  const back = new URLSearchParams(page.ctx.querystring);
  back.delete('done');
  const query = back.toString();
  return html`<div class="notice done" role="status"><span data-done>${what}</span>
${record.status === 'undone' || n === 0 ? '' : html`<form method="post" action="${page.base}/undo" class="inline">
<input type="hidden" name="_csrf" value="${page.csrf}"><input type="hidden" name="undo" value="${id}">
<input type="hidden" name="back" value="${`${page.rest}${query ? `?${query}` : ''}`}"><button type="submit" class="btn" data-undo>Undo</button></form>`}</div>`;
}

export function errorPage(heading: string, text: string): SafeHtml {
  return html`<h1>${heading}</h1><p class="muted">${text}</p>`;
}

/** A POST form changing one or more issues' status, with the session's CSRF token. */
export function statusForm(page: PageContext, kind: string, fingerprint: string, status: string, label: string, extra: SafeHtml | string = ''): SafeHtml {
  return html`<form method="post" action="${page.base}/status" class="inline">
<input type="hidden" name="_csrf" value="${page.csrf}">
<input type="hidden" name="issue" value="${issueKey(kind, fingerprint)}">
<input type="hidden" name="status" value="${status}">
<input type="hidden" name="back" value="${backOf(page)}">
<input type="hidden" name="via" value="issue page">
${extra}<button type="submit" class="btn btn-${status}">${label}</button></form>`;
}

/** The page to return to after an action: this one, path and query under the mount. */
export function backOf(page: PageContext): string {
  const params = new URLSearchParams(page.ctx.querystring);
  params.delete('done');
  const query = params.toString();
  return `${page.rest}${query ? `?${query}` : ''}`;
}

/** One form value naming an issue of either kind: "error:<fingerprint>". */
export function issueKey(kind: string, fingerprint: string): string {
  return `${kind}:${fingerprint}`;
}
