/**
 * Option checking shared by every factory and constructor: a misconfiguration is a
 * TypeError/RangeError at startup that names the option and the fix, never a silent default.
 */

/** The options a factory takes, derived from its defaults object: every key optional. */
export type OptionsOf<D> = { [K in keyof D]?: D[K] };

/** Merges given options over the defaults; carries the defaults and their keys for nested checks. */
export interface OptionsReader<D> {
  (options?: OptionsOf<D>): D;
  readonly defaults: Readonly<D>;
  readonly keys: readonly string[];
}

/**
 * Options declared once: the defaults object is the list of keys (for the unknown-key
 * check), the type (`OptionsOf<typeof defaults>`) and the values. The returned reader
 * refuses a non-object and a misspelt key, and an `undefined` value means the default.
 *
 *   const readOptions = defineOptions('requestContext', { header: 'X-Request-Id', trustIncoming: true });
 *   export type RequestContextOptions = OptionsOf<typeof readOptions.defaults>;
 */
export function defineOptions<D extends object>(where: string, defaults: D): OptionsReader<D> {
  const keys = Object.freeze(Object.keys(defaults));
  const read = (options: unknown = {}): D => {
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw new TypeError(`${where}: options must be an object of ${keys.join(', ')}, got ${options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options}`);
    }
    rejectUnknownKeys(where, options, keys);
    return { ...defaults, ...definedOnly(options) } as D;
  };
  return Object.assign(read, { defaults: Object.freeze({ ...defaults }), keys });
}

/**
 * The same check for a factory that merges later (its options travel before they are
 * read, as the client's do): `options` must be an object whose keys `defaults` declares.
 */
export function declaredOptions<D extends object>(where: string, defaults: D, options: unknown): OptionsOf<D> {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new TypeError(`${where}: options must be an object`);
  rejectUnknownKeys(where, options, Object.keys(defaults));
  return options as OptionsOf<D>;
}

/** `options` over `defaults`, where an `undefined` value means the default, as if the key were absent. */
export function withDefaults<D extends object>(defaults: D, options: OptionsOf<D>): D {
  return { ...defaults, ...definedOnly(options) } as D;
}

/** `{ windowMs: undefined }` means the default, as if the key were absent. */
export function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/**
 * Throws on a key the caller does not know (`formater` for `formatter`), naming the
 * closest known one: in JavaScript a misspelt option would otherwise be ignored.
 */
export function rejectUnknownKeys(where: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const closest = closestName(key, known);
    throw new TypeError(`${where}: unknown option \`${key}\`${closest ? `; did you mean \`${closest}\`?` : ''} (known: ${known.join(', ')})`);
  }
}

/** The known name nearest to `name` (case-insensitive edit distance), if it is near enough to be a typo. */
export function closestName(name: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(best.length / 3)) ? best : null;
}

export function checkPositiveInteger(where: string, key: string, value: unknown): void {
  if (!Number.isInteger(value) || (value as number) < 1) throw new RangeError(`${where}: \`${key}\` must be a positive integer`);
}

export function checkNonNegativeInteger(where: string, key: string, value: unknown): void {
  if (!Number.isInteger(value) || (value as number) < 0) throw new RangeError(`${where}: \`${key}\` must be an integer of 0 or more`);
}

export function checkUrl(where: string, key: string, value: unknown, protocols: readonly string[] = ['http:', 'https:']): URL {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new TypeError(`${where}: \`${key}\` must be an absolute URL`);
  }
  if (typeof value !== 'string' || !protocols.includes(url.protocol)) {
    throw new TypeError(`${where}: \`${key}\` must be an ${protocols.map((p) => p.slice(0, -1)).join(' or ')} URL`);
  }
  return url;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}
