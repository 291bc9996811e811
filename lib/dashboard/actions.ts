// The one state-changing endpoint: POST <mount>/status, from the issue page's buttons and
// the lists' bulk forms. Checked for CSRF, validated field by field, answered with a 303
// back to the page it came from (Post/Redirect/Get, so a reload never re-submits).
import type { Context } from 'koa';
import type { IssueStatus } from '../ports';
import type { ReportKind } from '../report/Report';
import { csrfRefusal, CSRF_FIELD } from './csrf';
import { field, FormError, readForm, type Form } from './form';
import type { SnoozeOptions } from '../ports';
import type { View } from './view';

const STATUSES: readonly IssueStatus[] = ['open', 'resolved', 'ignored', 'snoozed'];
const KINDS: readonly ReportKind[] = ['error', 'broken-link'];
const MAX_ISSUES_PER_ACTION = 500;

/** Snooze choices, as Honeybadger offers them: for a while, or for a number of occurrences. */
export const SNOOZE_CHOICES: Record<string, { label: string; options: (now: Date) => SnoozeOptions }> = {
  '1h': { label: 'for 1 hour', options: (now) => ({ until: new Date(now.getTime() + 3_600_000) }) },
  '24h': { label: 'for 24 hours', options: (now) => ({ until: new Date(now.getTime() + 86_400_000) }) },
  '7d': { label: 'for 7 days', options: (now) => ({ until: new Date(now.getTime() + 7 * 86_400_000) }) },
  '10x': { label: 'for 10 more occurrences', options: () => ({ untilCount: 10 }) },
  '100x': { label: 'for 100 more occurrences', options: () => ({ untilCount: 100 }) },
};

export async function handleStatusAction(ctx: Context, view: View): Promise<void> {
  let form: Form;
  try {
    form = await readForm(ctx);
  } catch (err) {
    if (err instanceof FormError) return refuse(ctx, err.status, err.message);
    throw err;
  }
  const refusal = csrfRefusal(ctx, field(form, CSRF_FIELD));
  if (refusal) return refuse(ctx, 403, refusal);

  const status = field(form, 'status') as IssueStatus | undefined;
  if (!status || !STATUSES.includes(status)) return refuse(ctx, 400, `status must be one of ${STATUSES.join(', ')}`);
  const issues = (form.get('issue') ?? []).map(parseIssueKey);
  if (issues.length === 0) return refuse(ctx, 400, 'select at least one issue');
  if (issues.length > MAX_ISSUES_PER_ACTION || issues.some((i) => i === null)) return refuse(ctx, 400, 'invalid issue selection');
  let snooze: SnoozeOptions | undefined;
  if (status === 'snoozed') {
    const choice = field(form, 'snooze') ?? '';
    if (!Object.hasOwn(SNOOZE_CHOICES, choice)) return refuse(ctx, 400, `snooze must be one of ${Object.keys(SNOOZE_CHOICES).join(', ')}`);
    snooze = SNOOZE_CHOICES[choice].options(new Date());
  }

  for (const issue of issues as Array<{ kind: ReportKind; fingerprint: string }>) {
    await view.store.setStatus(issue.kind, issue.fingerprint, status, snooze);
  }
  ctx.status = 303;
  ctx.redirect(`${view.base}${safeBack(field(form, 'back'))}`);
}

function parseIssueKey(value: string): { kind: ReportKind; fingerprint: string } | null {
  const colon = value.indexOf(':');
  const kind = value.slice(0, colon) as ReportKind;
  const fingerprint = value.slice(colon + 1);
  return colon > 0 && KINDS.includes(kind) && fingerprint.length > 0 && fingerprint.length <= 200 ? { kind, fingerprint } : null;
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
