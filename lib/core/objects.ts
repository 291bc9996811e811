/** `{}` or `Object.create(null)`: data we may walk key by key, unlike class instances. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Any object, arrays and class instances included, whose properties may be read (with care: getters run). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object';
}

/** An object that is not a list: one whose fields may be read by name (class instances included). */
export function isRecord<T>(value: T): value is T & Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
