// The state-changing endpoints: POST <mount>/status, from the issue page's buttons and
// the lists' bulk forms, and POST <mount>/undo. Checked for CSRF, validated field by field,
// answered with a 303 back to the page it came from (Post/Redirect/Get, so a reload never
// re-submits), which then says what changed and offers Undo.
import type { Context } from 'koa';
import type { IssueStatus } from '../contracts/store';
import type { SnoozeOptions } from '../contracts/issueStore';
import { REPORT_KINDS, type ReportKind } from '../report/Report';
import { csrfRefusal, CSRF_FIELD } from './csrf';
import { field, FormError, readForm, type Form } from './form';
import { previousOf, type PreviousStatus } from './undoLog';
import type { View } from './view';

export const STATUSES: readonly IssueStatus[] = ['open', 'resolved', 'ignored', 'snoozed'];
export const MAX_ISSUES_PER_ACTION = 500;

/** Snooze choices, as Honeybadger offers them: for a while, or for a number of occurrences. */
export const SNOOZE_CHOICES: Record<string, { label: string; options: (now: Date) => SnoozeOptions }> = {
  '1h': { label: 'for 1 hour', options: (now) => ({ until: new Date(now.getTime() + 3_600_000) }) },
  '24h': { label: 'for 24 hours', options: (now) => ({ until: new Date(now.getTime() + 86_400_000) }) },
  '7d': { label: 'for 7 days', options: (now) => ({ until: new Date(now.getTime() + 7 * 86_400_000) }) },
  '10x': { label: 'for 10 more occurrences', options: () => ({ untilCount: 10 }) },
  '100x': { label: 'for 100 more occurrences', options: () => ({ untilCount: 100 }) },
};

type IssueRef = { kind: ReportKind; fingerprint: string };

/**
 * Sets the status of each issue, passing who did it, from where and the app's release to
 * the store; resolves what each was before (for Undo), issues that no longer exist left out.
 */
export async function changeStatus(view: View, issues: IssueRef[], status: IssueStatus, snooze: SnoozeOptions | undefined, via: string): Promise<PreviousStatus[]> {
  const previous: PreviousStatus[] = [];
  for (const { kind, fingerprint } of issues) {
    const before = await view.store.getIssue(kind, fingerprint);
    if (!before) continue;
    previous.push(previousOf(before));
    await view.store.setStatus(kind, fingerprint, status, snooze, { actor: view.actor, via, release: view.release });
  }
  return previous;
}

export async function handleStatusAction(ctx: Context, view: View): Promise<void> {
  const form = await checkedForm(ctx);
  if (!form) return;
  const status = field(form, 'status') as IssueStatus | undefined;
  if (!status || !STATUSES.includes(status)) return refuse(ctx, 400, `status must be one of ${STATUSES.join(', ')}`);
  const issues = (form.get('issue') ?? []).map(parseIssueKey);
  if (issues.length === 0) return refuse(ctx, 400, 'select at least one issue');
  if (issues.length > MAX_ISSUES_PER_ACTION || issues.some((i) => i === null)) return refuse(ctx, 400, 'invalid issue selection');
  let snooze: SnoozeOptions | undefined;
  if (status === 'snoozed') {
    const choice = field(form, 'snooze') ?? '';
    if (!Object.hasOwn(SNOOZE_CHOICES, choice)) return refuse(ctx, 400, `snooze must be one of ${Object.keys(SNOOZE_CHOICES).join(', ')}`);
    snooze = SNOOZE_CHOICES[choice].options(new Date(view.clock.now()));
  }
  const via = field(form, 'via') === 'issue page' ? 'issue page' : 'bulk';
  const previous = await changeStatus(view, issues as IssueRef[], status, snooze, via);
  const id = view.undo.add({ status, previous, at: view.clock.now() });
  redirectBack(ctx, view, field(form, 'back'), id);
}

/** Puts every issue of an action back as it was: the same status, a snooze with what was left of it. */
export async function handleUndo(ctx: Context, view: View): Promise<void> {
  const form = await checkedForm(ctx);
  if (!form) return;
  const now = view.clock.now();
  const record = view.undo.take(field(form, 'undo') ?? '', now);
  if (!record || record.status === 'undone') return refuse(ctx, 410, 'This action can no longer be undone (it was undone already, or is over an hour old)');
  const restored: PreviousStatus[] = [];
  for (const before of record.previous) {
    let { status } = before;
    let snooze: SnoozeOptions | undefined;
    if (status === 'snoozed') {
      if (before.snoozedUntil && before.snoozedUntil.getTime() > now) snooze = { until: before.snoozedUntil };
      else if (before.snoozeLeft && before.snoozeLeft > 0) snooze = { untilCount: before.snoozeLeft };
      else status = 'open';
    }
    restored.push(...(await changeStatus(view, [before], status, snooze, 'undo')));
  }
  const id = view.undo.add({ status: 'undone', previous: restored, at: now });
  redirectBack(ctx, view, field(form, 'back'), id);
}

async function checkedForm(ctx: Context): Promise<Form | null> {
  let form: Form;
  try {
    form = await readForm(ctx);
  } catch (err) {
    if (err instanceof FormError) {
      refuse(ctx, err.status, err.message);
      return null;
    }
    throw err;
  }
  const refusal = csrfRefusal(ctx, field(form, CSRF_FIELD));
  if (refusal) {
    refuse(ctx, 403, refusal);
    return null;
  }
  return form;
}

function redirectBack(ctx: Context, view: View, back: string | undefined, done: string): void {
  const url = new URL(safeBack(back), 'http://dashboard.invalid');
  url.searchParams.set('done', done);
  ctx.status = 303;
  ctx.redirect(`${view.base}${url.pathname}${url.search}`);
}

export function parseIssueKey(value: string): IssueRef | null {
  const colon = value.indexOf(':');
  const kind = value.slice(0, colon) as ReportKind;
  const fingerprint = value.slice(colon + 1);
  return colon > 0 && REPORT_KINDS.includes(kind) && fingerprint.length > 0 && fingerprint.length <= 200 ? { kind, fingerprint } : null;
}

/** A path under the mount to go back to; anything else (another host, a scheme, `//evil`) returns to the list. */
function safeBack(back: string | undefined): string {
  return back && /^\/(?![/\\])[^\s\\]*$/.test(back) && back.length <= 2000 ? back : '/';
}

function refuse(ctx: Context, status: number, message: string): void {
  ctx.status = status;
  ctx.type = 'text/plain';
  ctx.body = message;
}
