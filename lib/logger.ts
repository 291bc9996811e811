import type { Logger } from './notifiers/Notifier';

// Reports are scrubbed before they reach any logger, so fields can be printed as they are.
export const consoleLogger: Logger = {
  info: (message, fields) => console.log(line(message, fields)),
  warn: (message, fields) => console.warn(line(message, fields)),
  error: (message, fields) => console.error(line(message, fields)),
};

/** For tests and apps that route library logs elsewhere. */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

function line(message: string, fields?: Record<string, unknown>): string {
  return fields && Object.keys(fields).length ? `[koa-tripwire] ${message} ${JSON.stringify(fields)}` : `[koa-tripwire] ${message}`;
}
