import type { SnoozeEnd, AlertInfo } from '../../report/Report';

/** Why this alert is sent, in words people read in Slack, a subject or a log line. */
export function describeAlert(alert: AlertInfo | undefined): string {
  // Capture does not set `alert`; a report announced without the throttle is news.
  switch (alert?.reason ?? 'new') {
    case 'regression':
      return 'Regression: a resolved issue happened again';
    case 'snooze-ended':
      return `Snooze ended (${describeSnoozeEnd(alert!.snoozeEnded)})`;
    case 'overflow':
      return 'Over the hourly limit of new issues: further new issues are counted here';
    case 'summary':
      return 'Alert budget reached';
    case 'digest':
      return `×${alert!.suppressed} more in the last ${formatWindow(alert!.windowMs)}`;
    case 'window':
      // A repeat after a quiet window held nothing back: "0 more since the last alert" says nothing.
      return alert!.suppressed > 0
        ? `${alert!.suppressed} more since the last alert`
        : `Again, first time in over ${formatWindow(alert!.windowMs)}`;
    default:
      return 'New issue';
  }
}

/** "10 more occurrences" or "after 1 hour": what ended a snooze. */
function describeSnoozeEnd(end: SnoozeEnd | undefined): string {
  if (end?.after === 'count' && Number.isFinite(end.occurrences)) return `${end.occurrences} more ${end.occurrences === 1 ? 'occurrence' : 'occurrences'}`;
  if (end?.after === 'time' && Number.isFinite(end.ms)) return `after ${formatDuration(end.ms)}`;
  return 'its time or count was reached';
}

/** "Seen 3 times", or null when the store did not say. */
export function describeCount(alert: AlertInfo | undefined): string | null {
  const count = alert?.count;
  if (typeof count !== 'number' || !Number.isFinite(count)) return null;
  return count === 1 ? 'Seen once' : `Seen ${count} times`;
}

/** 600000 → "10 min", 5400000 → "1 h 30 min", 45000 → "45 s". */
export function formatWindow(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return 'window';
  const totalSeconds = Math.round(ms / 1000);
  if (totalSeconds < 60) return `${totalSeconds} s`;
  const totalMinutes = Math.round(totalSeconds / 60);
  if (totalMinutes < 60) return `${totalMinutes} min`;
  const hours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  return minutes ? `${hours} h ${minutes} min` : `${hours} h`;
}

/** 3600000 → "1 hour", 5400000 → "1 hour 30 minutes", 172800000 → "2 days": a snooze's length as people set it. */
export function formatDuration(ms: number): string {
  const units: Array<[string, number]> = [['day', 86_400_000], ['hour', 3_600_000], ['minute', 60_000], ['second', 1000]];
  let rest = Math.round(Math.max(0, ms) / 1000) * 1000;
  const parts: string[] = [];
  for (const [name, size] of units) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0 && parts.length < 2) parts.push(`${count} ${name}${count === 1 ? '' : 's'}`);
  }
  return parts.length ? parts.join(' ') : '0 seconds';
}
