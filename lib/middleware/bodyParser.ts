import type { Context, Middleware } from 'koa';
import koaBodyParser from 'koa-bodyparser';
import createError from 'http-errors';
import type { IncomingHttpHeaders } from 'node:http';
import { partMiddleware } from './parts';
import { rejectUnknownKeys } from '../core/options';

export interface BodyParserOptions {
  /** Limits as koa-bodyparser takes them (strings like '1mb'). */
  jsonLimit?: string;
  formLimit?: string;
  /** Body types parsed; a request body of any other type gets 415. */
  enableTypes?: Array<'json' | 'form' | 'text'>;
  /** Types left for the route's own parser (e.g. multipart uploads), not refused. */
  passthroughTypes?: string[];
  /** Options passed to koa-bodyparser as they are. */
  parser?: KoaBodyParserOptions;
}

/**
 * koa-bodyparser 4's own options, declared here so an app's TypeScript needs no
 * @types/koa-bodyparser to read our declarations (https://github.com/koajs/bodyparser#options).
 */
export interface KoaBodyParserOptions {
  encoding?: string;
  formLimit?: string;
  jsonLimit?: string;
  textLimit?: string;
  xmlLimit?: string;
  strict?: boolean;
  detectJSON?: (ctx: Context) => boolean;
  extendTypes?: { json?: string[]; form?: string[]; text?: string[]; xml?: string[] };
  onerror?: (err: Error, ctx: Context) => void;
}

const defaults: Required<Omit<BodyParserOptions, 'parser'>> & { parser: KoaBodyParserOptions } = {
  jsonLimit: '1mb',
  formLimit: '56kb',
  enableTypes: ['json', 'form'],
  passthroughTypes: ['multipart/*'],
  parser: {},
};

const PARSER_KEYS = ['encoding', 'formLimit', 'jsonLimit', 'textLimit', 'xmlLimit', 'strict', 'detectJSON', 'extendTypes', 'onerror'];

const TYPE_PATTERNS = {
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
  rejectUnknownKeys('bodyParser', options, Object.keys(defaults));
  const opts = { ...defaults, ...options };
  rejectUnknownKeys('bodyParser: parser', opts.parser, PARSER_KEYS);
  if (!Array.isArray(opts.enableTypes) || opts.enableTypes.some((t) => !(t in TYPE_PATTERNS))) {
    throw new TypeError(`bodyParser: enableTypes must list of 'json', 'form', 'text'`);
  }
  const accepted = [...opts.enableTypes.flatMap((t) => TYPE_PATTERNS[t]), ...opts.passthroughTypes];

  const parse = koaBodyParser({
    strict: true,
    jsonLimit: opts.jsonLimit,
    formLimit: opts.formLimit,
    enableTypes: opts.enableTypes,
    ...opts.parser,
  });

  // Most API requests (GET, HEAD, DELETE) carry no body: they skip the parser, and
  // ctx.request.body stays undefined for them. `is()` answers false for a body of a
  // type nobody parses; an explicit Content-Length: 0 is no body, whatever its type.
  return partMiddleware('bodyParser', {
    run(ctx, next) {
      if (!hasBody(ctx.req.headers) || ctx.request.length === 0) return next();
      if (ctx.request.is(accepted) === false) {
        throw createError(415, `Unsupported Media Type: ${ctx.request.type || 'none given'}`);
      }
      return parse(ctx, next);
    },
  });
}

// type-is's rule: a body is announced by Transfer-Encoding or Content-Length.
function hasBody(headers: IncomingHttpHeaders): boolean {
  return headers['transfer-encoding'] !== undefined || headers['content-length'] !== undefined;
}
