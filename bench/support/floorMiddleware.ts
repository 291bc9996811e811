// The floor: what an app owner writes by hand for the same visible product, an
// X-Request-Id and the envelope, in ten idiomatic lines. stack() is judged against it
// (server CPU per request, target ≤ 1.03×): what it adds over these lines is its checks,
// its reporters and its body parser, and they must cost next to nothing when nothing fails.
// The happy path's floor server (servers/floor.ts) and the in-process variants
// (breakdown/variants.ts) both run this one.
import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';

export const requestIdAndEnvelope: Middleware = async (ctx, next) => {
  ctx.set('X-Request-Id', ctx.get('X-Request-Id') || randomUUID());
  try {
    await next();
    if (ctx.path.startsWith('/api/')) ctx.body = { success: ctx.status < 400, result: ctx.body ?? null, message: null };
  } catch (err) {
    ctx.status = typeof (err as { status?: unknown }).status === 'number' ? (err as { status: number }).status : 500;
    ctx.body = { success: false, result: null, message: ctx.status < 500 ? (err as Error).message : 'Internal Server Error' };
  }
};
