// The JSON API under the mount, behind the same login (or the `apiToken` as a Bearer
// token, for scripts): what the pages show, as stored (scrubbed before it was stored).
//   GET  <mount>/api/issues                      the list, with the list's filters
//   GET  <mount>/api/issues/:fingerprint         one issue (and its activity when the store keeps one)
//   GET  <mount>/api/issues/:fingerprint/events  its events, newest first (?page, ?perPage)
//   POST <mount>/api/issues/:fingerprint/status  { status, snooze? } as JSON
import type { Context } from 'koa';
import type { IssueStatus } from '../contracts/store';
import type { SnoozeOptions } from '../contracts/issueStore';
import { changeStatus, SNOOZE_CHOICES, STATUSES } from './actions';
import { rawResponse } from '../envelope/routeMarks';
import { crossSiteRefusal, CSRF_COOKIE, CSRF_HEADER, tokenRefusal } from './csrf';
import { listQuery } from './listQuery';
import { setNoStore } from './securityHeaders';
import { findIssue, pageNumber, queryParam, type View } from './view';

const MAX_JSON_BYTES = 16 * 1024;

/** Marked raw: mounted after stack(), the answers are the API's own JSON, never wrapped in the envelope. */
export function handleApi(ctx: Context, view: View): Promise<void> {
  return rawResponse()(ctx, () => answerApi(ctx, view));
}

async function answerApi(ctx: Context, view: View): Promise<void> {
  setNoStore(ctx);
  const path = view.rest.slice('/api'.length);
  const match = /^\/issues(?:\/([^/]+)(\/events|\/status)?)?$/.exec(path);
  const fingerprint = match?.[1] === undefined ? undefined : decode(match[1]);
  if (!match || fingerprint === null) return answer(ctx, 404, { error: 'no such API path' });
  const wants = match[2] === '/status' ? 'POST' : 'GET';
  if (ctx.method !== wants && !(wants === 'GET' && ctx.method === 'HEAD')) {
    ctx.set('Allow', wants === 'GET' ? 'GET, HEAD' : 'POST');
    return answer(ctx, 405, { error: `use ${wants}` });
  }
  try {
    if (fingerprint === undefined) return answer(ctx, 200, await view.store.listIssues(listQuery(ctx, view.perPage, 'all', true)));
    if (match[2] === '/status') return await postStatus(ctx, view, fingerprint);
    const issue = await findIssue(view, fingerprint);
    if (!issue) return answer(ctx, 404, { error: 'no issue has this fingerprint' });
    if (match[2] === '/events') {
      const perPage = Math.min(pageNumber(queryParam(ctx, 'perPage')), 500);
      return answer(ctx, 200, await view.store.listEvents(fingerprint, { page: pageNumber(queryParam(ctx, 'page')), perPage: queryParam(ctx, 'perPage') ? perPage : 20 }));
    }
    const activity = view.store.activity ? await view.store.activity(issue.kind, fingerprint) : undefined;
    return answer(ctx, 200, { issue, activity });
  } catch (err) {
    if (err instanceof RangeError || err instanceof TypeError) return answer(ctx, 400, { error: err.message });
    // The store's error may quote a connection string: the answer says only what happened.
    ctx.app.emit('error', err, ctx);
    return answer(ctx, 503, { error: 'the store did not answer; try again in a moment' });
  }
}

async function postStatus(ctx: Context, view: View, fingerprint: string): Promise<void> {
  if (!view.bearer) {
    // A browser's Basic credentials and cookies go with any request: the same checks as the forms.
    const refusal = crossSiteRefusal(ctx) ?? (ctx.get('Cookie').includes(`${CSRF_COOKIE}=`) ? tokenRefusal(ctx, ctx.get(CSRF_HEADER) || undefined) : null);
    if (refusal) return answer(ctx, 403, { error: refusal });
  }
  // JSON only: a cross-site HTML form cannot send it without a CORS preflight, which is never granted.
  if (!ctx.is('application/json')) return answer(ctx, 415, { error: 'send JSON (Content-Type: application/json)' });
  const body = await readJson(ctx);
  if (body === undefined) return answer(ctx, 400, { error: `the body must be a JSON object of at most ${MAX_JSON_BYTES} bytes` });
  const status = body.status as IssueStatus;
  if (!STATUSES.includes(status)) return answer(ctx, 400, { error: `status must be one of ${STATUSES.join(', ')}` });
  let snooze: SnoozeOptions | undefined;
  if (status === 'snoozed') {
    const choice = typeof body.snooze === 'string' && Object.hasOwn(SNOOZE_CHOICES, body.snooze) ? SNOOZE_CHOICES[body.snooze] : null;
    if (!choice) return answer(ctx, 400, { error: `snooze must be one of ${Object.keys(SNOOZE_CHOICES).join(', ')}` });
    snooze = choice.options(new Date(view.clock.now()));
  }
  const issue = await findIssue(view, fingerprint);
  if (!issue) return answer(ctx, 404, { error: 'no issue has this fingerprint' });
  const [previous] = await changeStatus(view, [issue], status, snooze, 'api');
  answer(ctx, 200, { issue: await view.store.getIssue(issue.kind, fingerprint), previous: previous?.status ?? null });
}

async function readJson(ctx: Context): Promise<Record<string, unknown> | undefined> {
  let parsed = (ctx.request as { body?: unknown }).body;
  if (parsed === undefined) {
    if (Number(ctx.get('Content-Length')) > MAX_JSON_BYTES) return undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of ctx.req) {
      size += (chunk as Buffer).length;
      if (size > MAX_JSON_BYTES) return undefined;
      chunks.push(chunk as Buffer);
    }
    try {
      parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return undefined;
    }
  }
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
}

function answer(ctx: Context, status: number, body: unknown): void {
  ctx.status = status;
  ctx.type = 'application/json';
  ctx.body = JSON.stringify(body);
}

function decode(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}
