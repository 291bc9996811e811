// Accounting for alerts in the drills. The specs' RecordingNotifier, passing each report
// on to the real notifier, records what delivery asked to announce (every alert, whether
// Slack took it or not); the fake Slack records what actually arrived.
import type { AlertInfo } from '../../lib/report/Report';
import type { ReceivedRequest } from './fakeSlack';
import { RecordingNotifier } from './recordingNotifier';

export { RecordingNotifier };

/**
 * Occurrences an alert accounts for: a first/regression/window alert stands for its
 * own occurrence plus the ones held back before it; a digest only for those held back.
 */
export function occurrencesOf(alert: AlertInfo | undefined): number {
  if (!alert) return 1;
  return alert.reason === 'digest' ? alert.suppressed : 1 + alert.suppressed;
}

export function accountedFor(alerts: RecordingNotifier['alerts'], fingerprint?: string): number {
  return alerts
    .filter((a) => fingerprint === undefined || a.fingerprint === fingerprint)
    .reduce((sum, a) => sum + occurrencesOf(a.alert), 0);
}

/** The plain `text` of a Slack webhook payload ('' when the body is not a message). */
export function slackText(request: ReceivedRequest): string {
  const body = request.body as { text?: unknown } | null;
  return body && typeof body === 'object' && typeof body.text === 'string' ? body.text : '';
}

/**
 * What a delivered Slack message says it accounts for, read from its text as people
 * read it: "New issue", "Regression…", "N more since the last alert", "Again, first time in over…"
 * (a repeat after a quiet window), "×N more in the last…".
 */
export function occurrencesInSlackText(text: string): number {
  const digest = /×(\d+) more in the last/.exec(text);
  if (digest) return Number(digest[1]);
  const window = /\((\d+) more since the last alert/.exec(text);
  if (window) return 1 + Number(window[1]);
  if (/\(New issue|\(Regression|\(Again, first time/.test(text)) return 1;
  throw new Error(`not an alert text: ${text.slice(0, 200)}`);
}
