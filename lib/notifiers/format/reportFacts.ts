import type { Report, StackFrame } from '../../report/Report';

// Small readings of a report shared by the Slack, text and HTML layouts, so the three
// say the same thing the same way. Frames are formatted by report/formatFrame.

/** The frame in the application's own code closest to the throw. */
export function topInAppFrame(report: Report): StackFrame | null {
  return report.error?.frames.find((frame) => frame.inApp) ?? null;
}

export function formatUser(report: Report): string {
  const { id, username } = report.user;
  if (id === null && !username) return 'anonymous';
  if (id === null) return username;
  return username ? `${id} (${username})` : id;
}

export function formatRelease(report: Report): string {
  return report.release ? `${report.environment} · release ${report.release}` : report.environment;
}
