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
<link rel="stylesheet" href="${base}/assets/dashboard.css?v=${ASSET_VERSION}">
<script src="${base}/assets/dashboard.js?v=${ASSET_VERSION}" defer></script>
</head>
<body>
<header class="top">
<a class="brand" href="${base}/">${page.title}</a>
<nav>${nav('/', 'Issues', rest === '/' || rest.startsWith('/issues/'))}${nav('/broken-links', 'Broken links', rest === '/broken-links')}${nav('/events', 'Find by request id', rest === '/events')}</nav>
</header>
<main>
${body}
</main>
</body>
</html>
`;
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
${extra}<button type="submit" class="btn btn-${status}">${label}</button></form>`;
}

/** The page to return to after an action: this one, path and query under the mount. */
export function backOf(page: PageContext): string {
  const query = page.ctx.querystring;
  return `${page.rest}${query ? `?${query}` : ''}`;
}

/** One form value naming an issue of either kind: "error:<fingerprint>". */
export function issueKey(kind: string, fingerprint: string): string {
  return `${kind}:${fingerprint}`;
}
