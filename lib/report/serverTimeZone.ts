import os from 'node:os';

let timeZone: string | undefined;

/** The server's IANA zone, so people read report times as the server saw them. */
export function serverTimeZone(): string {
  // Resolving the zone builds an Intl formatter, which is slow enough to do once.
  timeZone ??= Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  return timeZone;
}

let hostname: string | undefined;

/** The machine's name, read once: os.hostname() is a system call per report otherwise. */
export function serverHostname(): string {
  hostname ??= os.hostname();
  return hostname;
}
