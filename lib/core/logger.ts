/** Where the library writes what it has to say; every part takes one (`logger` option). */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

// Reports are scrubbed before they reach any logger, so fields can be printed as they are.
export const consoleLogger: Logger = {
  info: (message, fields) => console.log(line(message, fields)),
  warn: (message, fields) => console.warn(line(message, fields)),
  error: (message, fields) => console.error(line(message, fields)),
};

/** For tests and apps that route library logs elsewhere. */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

export function isLogger(value: unknown): value is Logger {
  return !!value && typeof value === 'object' && ['info', 'warn', 'error'].every((m) => typeof (value as Record<string, unknown>)[m] === 'function');
}

function line(message: string, fields?: Record<string, unknown>): string {
  return fields && Object.keys(fields).length ? `[koa-tripwire] ${message} ${JSON.stringify(fields)}` : `[koa-tripwire] ${message}`;
}
