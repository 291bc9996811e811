let timeZone: string | undefined;

/** The server's IANA zone, so people read report times as the server saw them. */
export function serverTimeZone(): string {
  // Resolving the zone builds an Intl formatter, which is slow enough to do once.
  timeZone ??= usableZone(Intl.DateTimeFormat().resolvedOptions().timeZone);
  return timeZone;
}

// The system may name no zone (TZ set to one that does not exist) or one Intl then refuses
// (TZ set but empty: ICU's 'Etc/Unknown'); renderers format report times in this zone.
function usableZone(zone: string | undefined): string {
  if (!zone) return 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone;
  } catch {
    return 'UTC';
  }
}
