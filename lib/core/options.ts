/**
 * Option checking shared by every factory and constructor: a misconfiguration is a
 * TypeError/RangeError at startup that names the option and the fix, never a silent default.
 */

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
