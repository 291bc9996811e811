import os from 'node:os';

let hostname: string | undefined;

/** The machine's name, read once: os.hostname() is a system call per report otherwise. */
export function serverHostname(): string {
  hostname ??= os.hostname();
  return hostname;
}
