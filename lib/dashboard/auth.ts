import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';

export interface BasicCredentials {
  username: string;
  password: string;
}

export type AuthCheck = (ctx: Context) => boolean | Promise<boolean>;
export type AuthOption = BasicCredentials | AuthCheck | false;

/** Resolves true when the request may see the dashboard; otherwise answers it (401/403) and resolves false. */
export type Gate = (ctx: Context) => Promise<boolean>;

export function authGate(auth: AuthOption, realm: string): Gate {
  if (auth === false) return async () => true;
  if (typeof auth === 'function') return appGate(auth);
  return basicGate(auth, realm);
}

/**
 * HTTP Basic (RFC 7617). Both fields are compared as SHA-256 digests with
 * timingSafeEqual, so neither the length nor a matching prefix shows in the timing,
 * and both comparisons always run.
 */
function basicGate({ username, password }: BasicCredentials, realm: string): Gate {
  const wantedUser = digest(username);
  const wantedPassword = digest(password);
  return async (ctx) => {
    const given = parseBasic(ctx.get('Authorization'));
    if (given) {
      const userOk = timingSafeEqual(digest(given.username), wantedUser);
      const passwordOk = timingSafeEqual(digest(given.password), wantedPassword);
      if (userOk && passwordOk) return true;
    }
    ctx.status = 401;
    ctx.set('WWW-Authenticate', `Basic realm="${realm}", charset="UTF-8"`);
    ctx.type = 'text/plain';
    ctx.body = 'Authentication required';
    return false;
  };
}

/** The app's own check (its session, its roles). A refusal is 403 unless the check answered itself (a redirect to the login page). */
function appGate(check: AuthCheck): Gate {
  return async (ctx) => {
    if ((await check(ctx)) === true) return true;
    if (ctx.status < 300 || ctx.status >= 400 || !ctx.response.get('Location')) {
      ctx.status = 403;
      ctx.type = 'text/plain';
      ctx.body = 'Forbidden';
    }
    return false;
  };
}

function parseBasic(header: string): BasicCredentials | null {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header.trim());
  if (!match) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
