import { expect } from 'chai';
import { silentLogger } from '../../lib/core/logger';
import { parseIssueKey } from '../../lib/dashboard/actions';
import { html } from '../../lib/dashboard/html';
import { backOf, errorPage, issueKey, layout, statusForm } from '../../lib/dashboard/layout';
import { ASSET_VERSION } from '../../lib/dashboard/staticAssets';
import { UndoLog, type PreviousStatus, type UndoRecord } from '../../lib/dashboard/undoLog';
import type { PageContext } from '../../lib/dashboard/view';
import { DashboardMemoryStore } from '../support/dashboardStore';
import { FakeClock } from '../support/fakeClock';
import { koaContext } from '../support/koaContext';

const CSRF = 'Qm9vdHN0cmFwLWNzcmYtdG9rZW4tZm9yLXNwZWNzLTE';
const HOSTILE = `"'\`><script>alert(1)</script><img src=x onerror=alert(2)>`;
const ESCAPED = '&quot;&#39;&#96;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;';

/** The page at `rest` (under the mount `base`), with `query`, as the router hands it to the layout. */
function pageAt(rest: string, query = '', overrides: Partial<PageContext> = {}): PageContext {
  const base = overrides.base ?? '/_tripwire';
  const clock = new FakeClock();
  const ctx = koaContext('GET', `${base}${rest}${query ? `?${query}` : ''}`);
  return {
    mount: '/_tripwire', store: new DashboardMemoryStore(), title: 'tripwire', perPage: 50, release: null, apiToken: null,
    loginThrottle: { perIp: 10, overall: 100, windowMs: 60_000 }, logger: silentLogger, clock,
    base, rest, actor: 'ops', undo: new UndoLog(), bearer: false, ctx, csrf: CSRF, now: new Date(clock.now()),
    ...overrides,
  };
}

const ENTITIES: Record<string, string> = { '&quot;': '"', '&#39;': "'", '&#96;': '`', '&gt;': '>', '&lt;': '<', '&amp;': '&' };
/** An attribute value as the browser reads it. */
const unescape = (value: string) => value.replace(/&(?:quot|#39|#96|gt|lt|amp);/g, (entity) => ENTITIES[entity]);

/** The first form in `markup` as a browser submits it: method, action and hidden fields. */
function formIn(markup: string): { method: string; action: string; fields: Record<string, string> } {
  const form = /<form method="([^"]*)" action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/.exec(markup);
  if (!form) throw new Error(`no form in: ${markup}`);
  const fields = Object.fromEntries([...form[3].matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map((m) => [m[1], unescape(m[2])]));
  return { method: form[1], action: unescape(form[2]), fields };
}

const previous = (n: number): PreviousStatus[] =>
  Array.from({ length: n }, (_, i) => ({ kind: 'error' as const, fingerprint: `fp-${i}`, status: 'open' as const, snoozedUntil: null, snoozeLeft: null }));

/** The page at `rest` after an action recorded as `record` (at the page's time unless it says otherwise). */
function pageAfter(record: Omit<UndoRecord, 'at'> & { at?: number }, rest = '/', query = ''): { page: PageContext; id: string } {
  const page = pageAt(rest);
  const id = page.undo.add({ at: page.clock.now(), ...record });
  const withDone = pageAt(rest, `${query}${query ? '&' : ''}done=${id}`, { undo: page.undo, clock: page.clock });
  return { page: withDone, id };
}

const notice = (page: PageContext) => /<div class="notice done"[\s\S]*?<\/div>/.exec(layout(page, 'Issues', html``).text)?.[0] ?? null;

describe('dashboard layout', () => {
  it('wraps a page in the shell: both titles, one stylesheet and one deferred script under the mount, and no inline script or style', () => {
    const page = layout(pageAt('/'), 'Issues', html`<p class="lead">3 open</p>`).text;

    expect(page).to.match(/^<!doctype html>\n<html lang="en">/);
    expect(page).to.include('<title>Issues · tripwire</title>').and.include('<a class="brand" href="/_tripwire/">tripwire</a>');
    expect(page).to.include(`<link rel="stylesheet" href="/_tripwire/assets/dashboard.css?v=${ASSET_VERSION}">`);
    expect(page.match(/<script\b[^>]*>/g)).to.deep.equal([`<script src="/_tripwire/assets/dashboard.js?v=${ASSET_VERSION}" defer>`]);
    expect(page).not.to.match(/<style|\sstyle=|\son[a-z]+=/i);
    expect(page).to.match(/<main>\s*<p class="lead">3 open<\/p>\s*<\/main>/);
  });

  it('marks the navigation link of the current section, and only that one', () => {
    const current = (rest: string) => [...layout(pageAt(rest), 'x', html``).text.matchAll(/<a href="([^"]*)" aria-current="page">([^<]*)<\/a>/g)].map((m) => `${m[1]} ${m[2]}`);

    expect(current('/')).to.deep.equal(['/_tripwire/ Issues']);
    expect(current('/issues/fp-1')).to.deep.equal(['/_tripwire/ Issues']);
    expect(current('/broken-links')).to.deep.equal(['/_tripwire/broken-links Broken links']);
    expect(current('/events')).to.deep.equal(['/_tripwire/events Find by request id']);
    expect(current('/nowhere')).to.deep.equal([]);
  });

  it('escapes every value it interpolates: the page title, the dashboard title and the mount', () => {
    const page = layout(pageAt('/', '', { title: HOSTILE, base: `/ops"${HOSTILE}` }), `TypeError: ${HOSTILE}`, html``).text;

    expect(page).not.to.include('<script>alert').and.not.include('<img');
    expect(page).not.to.match(/="[^"]*"[^\s>/]/); // no attribute value closed early
    expect(page).to.include(`<title>TypeError: ${ESCAPED} · ${ESCAPED}</title>`);
    expect(page).to.include(`<a class="brand" href="/ops&quot;${ESCAPED}/">${ESCAPED}</a>`);
  });

  describe('the notice after a status action', () => {
    it("says what it did and offers Undo: a POST to the mount with the session's CSRF token, the action and the page to return to", () => {
      const { page, id } = pageAfter({ status: 'resolved', previous: previous(2) }, '/', 'q=timeout&env=prod');
      const shown = notice(page)!;

      expect(shown).to.include('<span data-done>2 issues resolved</span>');
      expect(formIn(shown)).to.deep.equal({ method: 'post', action: '/_tripwire/undo', fields: { _csrf: CSRF, undo: id, back: '/?q=timeout&env=prod' } });
    });

    it('words what was done, and offers no Undo after an undo or an action that changed nothing', () => {
      const shown = (status: UndoRecord['status'], n: number) => notice(pageAfter({ status, previous: previous(n) }).page)!;

      expect(shown('open', 1)).to.include('>1 issue reopened<').and.include('data-undo');
      expect(shown('ignored', 3)).to.include('>3 issues ignored<').and.include('data-undo');
      expect(shown('snoozed', 2)).to.include('>2 issues snoozed<').and.include('data-undo');
      expect(shown('undone', 2)).to.include('>2 issues restored<').and.not.include('<form');
      expect(shown('resolved', 0)).to.include('>0 issues resolved<').and.not.include('<form');
    });

    it('shows nothing for an unknown, expired or repeated action id', () => {
      const { page, id } = pageAfter({ status: 'resolved', previous: previous(1) });
      const expired = pageAfter({ status: 'resolved', previous: previous(1), at: page.clock.now() - 60 * 60_000 }).page;

      expect(notice(pageAt('/', 'done=unknown-id', { undo: page.undo, clock: page.clock }))).to.equal(null);
      expect(notice(expired)).to.equal(null);
      expect(notice(pageAt('/', `done=${id}&done=${id}`, { undo: page.undo, clock: page.clock }))).to.equal(null);
    });

    it('escapes the path and the query it sends back in the Undo form', () => {
      const { page } = pageAfter({ status: 'resolved', previous: previous(1) }, `/issues/${HOSTILE}`, `q=${encodeURIComponent(HOSTILE)}`);
      const shown = notice(page)!;

      expect(shown).not.to.include('<script').and.not.include('<img');
      expect(shown).to.include(`value="/issues/${ESCAPED}?q=`);
      expect(formIn(shown).fields.back, 'submitted back as it was').to.equal(`/issues/${HOSTILE}?${new URLSearchParams({ q: HOSTILE })}`);
    });
  });

  it('errorPage escapes its heading and its text', () => {
    expect(errorPage('Not <b>found</b>', HOSTILE).text).to.equal(`<h1>Not &lt;b&gt;found&lt;/b&gt;</h1><p class="muted">${ESCAPED}</p>`);
  });

  describe('statusForm', () => {
    it("posts one status change to the mount with the session's CSRF token, the issue, this page to come back to, and where it came from", () => {
      const form = statusForm(pageAt('/issues/fp-1', 'e=2&done=old'), 'error', 'fp-1', 'resolved', 'Resolve', html`<select name="snooze"></select>`).text;

      expect(formIn(form)).to.deep.equal({
        method: 'post', action: '/_tripwire/status',
        fields: { _csrf: CSRF, issue: 'error:fp-1', status: 'resolved', back: '/issues/fp-1?e=2', via: 'issue page' },
      });
      expect(form).to.include('<select name="snooze"></select><button type="submit" class="btn btn-resolved">Resolve</button>');
    });

    it('escapes the fingerprint, the status, the label and the CSRF token it is given', () => {
      const form = statusForm(pageAt('/', '', { csrf: HOSTILE }), 'error', HOSTILE, HOSTILE, HOSTILE).text;

      expect(form).not.to.include('<script').and.not.include('<img');
      expect(formIn(form).fields, 'submitted as given').to.include({ _csrf: HOSTILE, issue: `error:${HOSTILE}`, status: HOSTILE });
      expect(form).to.include(`class="btn btn-${ESCAPED}">${ESCAPED}</button>`);
    });
  });

  it('issueKey names an issue so that the status action reads back the same kind and fingerprint, colons included', () => {
    for (const [kind, fingerprint] of [['error', 'fp-1'], ['broken-link', 'a:b:c'], ['error', 'https://x.example/p?q=1']] as const) {
      expect(parseIssueKey(issueKey(kind, fingerprint)), fingerprint).to.deep.equal({ kind, fingerprint });
    }
  });

  it('backOf is this page under the mount with its query, repeated values kept, without the done notice', () => {
    expect(backOf(pageAt('/broken-links', 'page=2&env=a&env=b&done=x'))).to.equal('/broken-links?page=2&env=a&env=b');
    expect(backOf(pageAt('/broken-links', 'done=x'))).to.equal('/broken-links');
    expect(backOf(pageAt('/'))).to.equal('/');
  });
});
