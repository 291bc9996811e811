// koa-json-error ships no types; this is the one call the bench makes.
declare module 'koa-json-error' {
  import type { Middleware } from 'koa';

  namespace jsonError {
    type Formatter = (err: Error & { status?: number }, acc: Record<string, unknown>) => Record<string, unknown>;
    interface Options {
      preFormat?: Formatter | null;
      format?: Formatter;
      postFormat?: Formatter | null;
    }
  }

  function jsonError(options?: jsonError.Options | jsonError.Formatter): Middleware;
  export = jsonError;
}
