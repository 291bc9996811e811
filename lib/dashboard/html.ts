// Tagged-template HTML that escapes every interpolated value unless it is already
// markup built by `html` itself: a value from a report can never open a tag or an
// attribute. Same idea as lit-html's `html` tag, done server-side in a few lines.

/** Markup that is safe to insert as is (built by `html` or `raw`). */
export class SafeHtml {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ESCAPES[c]);
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}

/** Trusted markup from this module's own code only (never from a report). */
export function raw(text: string): SafeHtml {
  return new SafeHtml(text);
}

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.text;
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(textOf(value));
}

/** String(value), but never throws (a stored value may be odd; a Proxy's toString may throw). */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return typeof value === 'object' ? JSON.stringify(value) ?? String(value) : String(value);
  } catch {
    return '[unprintable]';
  }
}

/** The URL when it is an absolute http(s) URL, else null: only those become links (no javascript:, data:, //host). */
export function safeHttpUrl(value: unknown): string | null {
  if (typeof value !== 'string' || !/^https?:\/\//i.test(value)) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** A link when `url` is http(s), plain text otherwise. External links carry no referrer and no opener. */
export function externalLink(url: unknown, text: unknown = url): SafeHtml {
  const href = safeHttpUrl(url);
  return href
    ? html`<a href="${href}" rel="noopener noreferrer nofollow" target="_blank">${textOf(text)}</a>`
    : html`${textOf(text)}`;
}

const MAX_PRETTY = 64 * 1024;

/** Stored data (request headers, bodies, extras) as indented JSON, bounded in size. */
export function prettyJson(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? value : JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    text = '[unprintable]';
  }
  return text.length > MAX_PRETTY ? `${text.slice(0, MAX_PRETTY)}\n… (${text.length - MAX_PRETTY} more characters)` : text;
}
