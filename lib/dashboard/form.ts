// Reads a small urlencoded form, whether or not a body parser ran before the dashboard
// (mounted after stack(), koa-bodyparser has already read the stream into ctx.request.body).
import type { Context } from 'koa';

const MAX_FORM_BYTES = 64 * 1024;

export type Form = Map<string, string[]>;

export class FormError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export async function readForm(ctx: Context): Promise<Form> {
  const parsed = (ctx.request as { body?: unknown }).body;
  if (parsed !== undefined && parsed !== null && typeof parsed === 'object' && !Buffer.isBuffer(parsed)) return fromObject(parsed as Record<string, unknown>);
  if (!ctx.is('application/x-www-form-urlencoded')) throw new FormError(415, 'expected a form (application/x-www-form-urlencoded)');
  const length = Number(ctx.get('Content-Length'));
  if (length > MAX_FORM_BYTES) throw new FormError(413, 'form too large');
  return fromParams(new URLSearchParams(await readBody(ctx)));
}

function readBody(ctx: Context): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    ctx.req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_FORM_BYTES) {
        ctx.req.removeAllListeners('data');
        ctx.req.resume();
        reject(new FormError(413, 'form too large'));
      } else chunks.push(chunk);
    });
    ctx.req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    ctx.req.once('error', reject);
  });
}

function fromParams(params: URLSearchParams): Form {
  const form: Form = new Map();
  for (const [key, value] of params) form.set(key, [...(form.get(key) ?? []), value]);
  return form;
}

function fromObject(body: Record<string, unknown>): Form {
  const form: Form = new Map();
  for (const [key, value] of Object.entries(body)) {
    const values = Array.isArray(value) ? value : [value];
    form.set(key, values.filter((v): v is string => typeof v === 'string'));
  }
  return form;
}

/** The single value of a field, or undefined when absent or repeated. */
export function field(form: Form, name: string): string | undefined {
  const values = form.get(name);
  return values && values.length === 1 ? values[0] : undefined;
}
