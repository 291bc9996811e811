import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';
import { LoginThrottle } from './loginThrottle';
import type { DashboardSettings } from './view';

export interface BasicCredentials {
  username: string;
  password: string;
}

/** The app's own check: true, or `{ user }` naming who is logged in (shown in the activity log); anything else refuses. */
export type AuthCheck = (ctx: Context) => boolean | { user: string } | Promise<boolean | { user: string }>;
export type AuthOption = BasicCredentials | AuthCheck | false;

/** Who may see the dashboard: resolves who it is (actor null when unknown), or answers the request (401/403/429) and resolves null. */
export type Gate = (ctx: Context) => Promise<{ actor: string | null; bearer: boolean } | null>;

export function authGate(auth: AuthOption, settings: DashboardSettings): Gate {
  const realm = settings.title.replace(/["\\]/g, '');
  const throttle = new LoginThrottle(settings.loginThrottle, settings.clock, settings.logger);
  const own: Gate = auth === false ? async (ctx) => ({ actor: stateUser(ctx), bearer: false })
    : typeof auth === 'function' ? appGate(auth)
      : basicGate(auth, realm, throttle);
  const token = settings.apiToken === null ? null : digest(settings.apiToken);
  if (!token) return own;
  // Scripts call the JSON API with the token instead of a login; pages still need the login.
  // Wrong tokens count as failed logins.
  return async (ctx) => {
    const bearer = /^Bearer (\S+)$/i.exec(ctx.get('Authorization').trim())?.[1];
    if (bearer === undefined) return own(ctx);
    const ip = clientIp(ctx.ip);
    if (throttled(ctx, throttle, ip)) return null;
    if (timingSafeEqual(digest(bearer), token)) return { actor: 'api token', bearer: true };
    throttle.fail(ip);
    answer(ctx, 401, 'Invalid bearer token');
    return null;
  };
}

/**
 * HTTP Basic (RFC 7617). Both fields are compared as SHA-256 digests with
 * timingSafeEqual, so neither the length nor a matching prefix shows in the timing,
 * and both comparisons always run.
 */
function basicGate({ username, password }: BasicCredentials, realm: string, throttle: LoginThrottle): Gate {
  const wantedUser = digest(username);
  const wantedPassword = digest(password);
  return async (ctx) => {
    const ip = clientIp(ctx.ip);
    const given = parseBasic(ctx.get('Authorization'));
    if (given && throttled(ctx, throttle, ip)) return null;
    if (given) {
      const userOk = timingSafeEqual(digest(given.username), wantedUser);
      const passwordOk = timingSafeEqual(digest(given.password), wantedPassword);
      if (userOk && passwordOk) return { actor: given.username, bearer: false };
      throttle.fail(ip);
    }
    ctx.set('WWW-Authenticate', `Basic realm="${realm}", charset="UTF-8"`);
    answer(ctx, 401, 'Authentication required');
    return null;
  };
}

/** Answers 429 with Retry-After while this client (or everyone) is over the failed-login limit. */
function throttled(ctx: Context, throttle: LoginThrottle, ip: string): boolean {
  const wait = throttle.retryAfter(ip);
  if (wait <= 0) return false;
  ctx.set('Retry-After', String(wait));
  answer(ctx, 429, `Too many failed logins; try again in ${wait} s`);
  return true;
}

/** The app's own check (its session, its roles). A refusal is 403 unless the check answered itself (a redirect to the login page). */
function appGate(check: AuthCheck): Gate {
  return async (ctx) => {
    const verdict = await check(ctx);
    if (verdict === true) return { actor: stateUser(ctx), bearer: false };
    if (verdict && typeof verdict === 'object' && typeof verdict.user === 'string') return { actor: verdict.user.slice(0, 200), bearer: false };
    if (ctx.status < 300 || ctx.status >= 400 || !ctx.response.get('Location')) answer(ctx, 403, 'Forbidden');
    return null;
  };
}

/** `ctx.state.user` as the app's login middleware leaves it (koa-passport: an object): a name for the activity log. */
function stateUser(ctx: Context): string | null {
  const user = (ctx.state as { user?: unknown } | undefined)?.user;
  if (typeof user === 'string') return user.slice(0, 200) || null;
  if (!user || typeof user !== 'object') return null;
  const fields = user as Record<string, unknown>;
  const name = [fields.username, fields.name, fields.email, fields.id].find((v) => typeof v === 'string' || typeof v === 'number');
  return name === undefined ? null : String(name).slice(0, 200);
}

/** The IP as the client sent it: an IPv4 address on a dual-stack socket is reported as `::ffff:a.b.c.d`. */
export function clientIp(ip: unknown): string {
  const text = typeof ip === 'string' ? ip : '';
  return /^::ffff:\d{1,3}(\.\d{1,3}){3}$/i.test(text) ? text.slice(7) : text;
}

function answer(ctx: Context, status: number, message: string): void {
  ctx.status = status;
  ctx.type = 'text/plain';
  ctx.body = message;
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
