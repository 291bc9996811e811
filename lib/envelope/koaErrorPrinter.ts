// Koa's default 'error' listener (app.onerror) prints err.stack to stderr as is: a
// message like "cannot reach postgres://app:PASSWORD@db" would reach the logs
// unscrubbed. tripwire's reports are the scrubbed record, so it tells only the app's
// own listeners, and warns once when Koa's printer is left on.
import type Koa from 'koa';

/** True for the `onerror` Koa registers itself when the app added no 'error' listener. */
function isKoaPrinter(app: Koa, listener: unknown): boolean {
  for (let proto = Object.getPrototypeOf(app); proto; proto = Object.getPrototypeOf(proto)) {
    if (Object.prototype.hasOwnProperty.call(proto, 'onerror') && proto.onerror === listener) return true;
  }
  return false;
}

/**
 * Emits 'error' to the app's own listeners, skipping Koa's printer: Koa adds it at the
 * first callback() when no listener exists yet, and it stays if one is added later.
 */
export function emitToOwnListeners(app: Koa, err: Error, ctx: unknown): void {
  for (const listener of app.rawListeners('error')) {
    if (!isKoaPrinter(app, listener)) (listener as (this: Koa, ...args: unknown[]) => void).call(app, err, ctx);
  }
}

/** Whether Koa's default printer will write raw errors to stderr. */
export function printsRawErrors(app: Koa): boolean {
  return !app.silent && app.listeners('error').some((listener) => isKoaPrinter(app, listener));
}
