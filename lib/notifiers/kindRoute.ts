// A notifier listed for one kind only (a stack's `errors.notifiers` and
// `brokenLinks.notifiers`, a client's `notifiers: { error, 'broken-link' }`). The route
// is read by delivery (lib/delivery/Announcer.ts), which sends the notifier's reports of
// those kinds through the notifier's own pipeline: a wrapper object sent through a
// pipeline of its own would drop the notifier's settings (a built-in's parts, an app's
// `pipelineOptions`: its alert budget, pacing and retries) for the defaults.
import type { Notifier } from '../contracts/notifier';
import type { Report, ReportKind } from '../report/Report';

const ROUTE = Symbol('tripwire.kindRoute');

export interface KindRoute {
  notifier: Notifier;
  /** The kinds it is told; null: every kind. */
  kinds: ReadonlySet<ReportKind> | null;
}

interface Routed extends Notifier {
  readonly [ROUTE]: KindRoute;
}

/** The kind a report is announced as (anything but a broken link is an error), as the pipeline's budgets read it. */
export function announcedKind(report: Report): ReportKind {
  return report.kind === 'broken-link' ? 'broken-link' : 'error';
}

/** `notifier` for reports of `kinds` only; its own filter still applies. Called directly, it behaves the same. */
export function onlyKinds(notifier: Notifier, kinds: Iterable<ReportKind>): Notifier {
  if (!notifier || typeof notifier.notify !== 'function') return notifier;
  const route: KindRoute = { notifier, kinds: new Set(kinds) };
  const accepts = (report: Report) => route.kinds!.has(announcedKind(report)) && (typeof notifier.accepts !== 'function' || notifier.accepts(report) !== false);
  const routed: Routed = {
    [ROUTE]: route,
    name: notifier.name,
    accepts,
    notify: async (report) => { if (accepts(report)) await notifier.notify(report); },
    close: (timeoutMs) => notifier.close?.(timeoutMs) ?? Promise.resolve(),
  };
  return routed;
}

/** The notifier behind a route made by `onlyKinds`, and its kinds; any other notifier is told every kind. */
export function kindRouteOf(notifier: Notifier): KindRoute {
  const route = (notifier as Partial<Routed> | null)?.[ROUTE];
  return route ?? { notifier, kinds: null };
}
