// Characters MongoDB refuses in a key and the look-alikes stored instead: a NUL cannot
// be written in a BSON key (https://bsonspec.org/spec.html), a leading `$` reads as an
// operator and a `.` as a path (https://www.mongodb.com/docs/manual/reference/limits/#naming-restrictions).
// One table for the store that escapes keys and the delivery that repairs a refused report.

/** Refused character → the look-alike stored for it. */
export const STORED_KEY_ESCAPES: Readonly<Record<string, string>> = Object.freeze({
  '\u0000': '\u2400',
  $: '\uFF04',
  '.': '\uFF0E',
});
