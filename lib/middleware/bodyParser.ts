import type { Context, Middleware } from 'koa';
import koaBodyParser from 'koa-bodyparser';
import createError from 'http-errors';
import { defineOptions, definedOnly, type OptionsOf } from '../core/options';
import { rejectUseWithoutCall } from '../core/factoryMisuse';

type BodyType = 'json' | 'form' | 'text';

// `ctx.request.body` for apps with only @types/koa: shipped in this module's declarations,
// which the package's entry loads. The type is @types/koa-bodyparser 5's to the letter, so
// an app that also installs it compiles (merged interface members must agree).
declare module 'koa' {
  interface Request {
    /** The parsed body (bodyParser): an object, a string for text, or undefined when the request had none. */
    body: {} | null | undefined;
  }
}

/**
 * koa-bodyparser 4's own options besides the limits above, declared here so an app's
 * TypeScript needs no @types/koa-bodyparser to read ours (https://github.com/koajs/bodyparser#options).
 */
const readParserOptions = defineOptions('bodyParser: parser', {
  encoding: 'utf-8',
  textLimit: '1mb',
  xmlLimit: '1mb',
  strict: true,
  detectJSON: undefined as ((ctx: Context) => boolean) | undefined,
  extendTypes: undefined as { json?: string[]; form?: string[]; text?: string[]; xml?: string[] } | undefined,
  onerror: undefined as ((err: Error, ctx: Context) => void) | undefined,
});

export type KoaBodyParserOptions = OptionsOf<typeof readParserOptions.defaults>;

const readOptions = defineOptions('bodyParser', {
  /** Limits as koa-bodyparser takes them (strings like '1mb'). */
  jsonLimit: '1mb',
  formLimit: '56kb',
  /** Body types parsed; a request body of any other type gets 415. */
  enableTypes: ['json', 'form'] as BodyType[],
  /** Types left for the route's own parser (e.g. multipart uploads), not refused. */
  passthroughTypes: ['multipart/*'],
  /** Options passed to koa-bodyparser as they are. */
  parser: {} as KoaBodyParserOptions,
});

export type BodyParserOptions = OptionsOf<typeof readOptions.defaults>;

const TYPE_PATTERNS: Record<BodyType, string[]> = {
  json: ['json', 'application/*+json', 'application/csp-report'],
  form: ['urlencoded'],
  text: ['text'],
};

/**
 * koa-bodyparser, strict, plus what it leaves out: a body of a type nobody parses is
 * refused with 415 instead of silently becoming `{}`. It sits inside the formatter and
 * the reporter, so its 400/413/415 come out enveloped and a report can include the body.
 */
export function bodyParser(options: BodyParserOptions = {}): Middleware {
  rejectUseWithoutCall('bodyParser', options, arguments[1]);
  const { jsonLimit, formLimit, enableTypes, passthroughTypes, parser } = readOptions(options);
  const parserOptions = definedOnly(readParserOptions(parser));
  if (!Array.isArray(enableTypes) || enableTypes.some((t) => !Object.hasOwn(TYPE_PATTERNS, t))) {
    throw new TypeError(`bodyParser: enableTypes must list of 'json', 'form', 'text'`);
  }
  const accepted = [...enableTypes.flatMap((t) => TYPE_PATTERNS[t]), ...passthroughTypes];
  const parse = koaBodyParser({ jsonLimit, formLimit, enableTypes, ...parserOptions });

  // Most API requests (GET, HEAD, DELETE) carry no body: they skip the parser, and
  // ctx.request.body stays undefined for them. `is()` answers false for a body of a
  // type nobody parses; an explicit Content-Length: 0 is no body, whatever its type.
  // Not an async function: a request without a body (most of them) passes straight to
  // next() without a frame and a promise of its own; a throw here reaches koa-compose,
  // which turns it into the rejection an async function would return.
  return function bodyParser(ctx, next) {
    if (!hasBody(ctx)) return next();
    if (ctx.request.is(accepted) === false) throw createError(415, `Unsupported Media Type: ${ctx.request.type || 'none given'}`);
    return parse(ctx, next);
  };
}

// type-is's rule (a body is announced by Transfer-Encoding or Content-Length), and
// Content-Length: 0 is none. Every request pays this check: the names are given as node
// stores them, lower-case, so ctx.get() finds them without making a lower-cased copy first.
function hasBody(ctx: Context): boolean {
  const { request } = ctx;
  return request.get('transfer-encoding') !== '' || (request.get('content-length') !== '' && request.length !== 0);
}
