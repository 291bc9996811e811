// The list query from the URL, shared by the pages and the JSON API: every value checked
// against what it may be; anything else is the default.
import type { Context } from 'koa';
import type { IssueQuery, IssueSort } from '../contracts/issueStore';
import type { IssueStatus } from '../contracts/store';
import type { ReportKind } from '../report/Report';
import { pageNumber, queryParam } from './view';

export const STATUS_CHOICES: Array<[IssueStatus | 'all', string]> = [['open', 'Open'], ['snoozed', 'Snoozed'], ['resolved', 'Resolved'], ['ignored', 'Ignored'], ['all', 'All']];
export const KIND_CHOICES: Array<[string, string]> = [['error', 'Errors'], ['broken-link', 'Broken links'], ['all', 'All kinds']];
export const SORT_CHOICES: Array<[IssueSort, string]> = [['lastSeen', 'Last seen'], ['firstSeen', 'First seen'], ['count', 'Events']];

export type ListQuery = IssueQuery & { kindChoice: string; statusChoice: string };

export function listQuery(ctx: Context, perPage: number, defaultKind: ReportKind | 'all', perPageFromUrl = false): ListQuery {
  const status = choice(queryParam(ctx, 'status'), STATUS_CHOICES.map(([v]) => v), 'open');
  const kindChoice = choice(queryParam(ctx, 'kind'), KIND_CHOICES.map(([v]) => v), defaultKind);
  return {
    status: status as IssueQuery['status'],
    statusChoice: status,
    kind: kindChoice === 'all' ? undefined : (kindChoice as ReportKind),
    kindChoice,
    environment: queryParam(ctx, 'environment'),
    release: queryParam(ctx, 'release'),
    q: queryParam(ctx, 'q'),
    sort: choice(queryParam(ctx, 'sort'), SORT_CHOICES.map(([v]) => v), 'lastSeen') as IssueSort,
    page: pageNumber(queryParam(ctx, 'page')),
    perPage: perPageFromUrl && queryParam(ctx, 'perPage') ? Math.min(pageNumber(queryParam(ctx, 'perPage')), 500) : perPage,
  };
}

function choice<T extends string>(value: string | undefined, allowed: readonly T[], fallback: T): T {
  return value !== undefined && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}
