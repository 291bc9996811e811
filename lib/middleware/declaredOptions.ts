// Options declared once: each factory has one defaults object; its options type is
// `Partial<typeof defaults>` and the unknown-key check reads the object's keys, so no
// list of names is kept by hand (a misspelt `windowMS` still fails at startup).
import { rejectUnknownKeys } from '../core/options';

/** The options type of a defaults object. */
export type OptionsOf<D extends object> = Partial<D>;

/** Checks that `options` is an object whose keys are all declared in `defaults`; returns it typed. */
export function declaredOptions<D extends object>(where: string, defaults: D, options: unknown): OptionsOf<D> {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new TypeError(`${where}: options must be an object`);
  rejectUnknownKeys(where, options, Object.keys(defaults));
  return options as OptionsOf<D>;
}

/** `options` over `defaults`, where an `undefined` value means the default, as if the key were absent. */
export function withDefaults<D extends object>(defaults: D, options: OptionsOf<D>): D {
  const merged = { ...defaults } as Record<string, unknown>;
  for (const [key, value] of Object.entries(options)) if (value !== undefined) merged[key] = value;
  return merged as D;
}
