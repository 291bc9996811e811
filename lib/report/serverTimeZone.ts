let timeZone: string | undefined;

/** The server's IANA zone, so people read report times as the server saw them. */
export function serverTimeZone(): string {
  // Resolving the zone builds an Intl formatter, which is slow enough to do once.
  timeZone ??= Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  return timeZone;
}
