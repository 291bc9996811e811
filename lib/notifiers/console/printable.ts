// What a terminal must never receive from a report: escape sequences (colours, cursor
// moves, window titles, OSC 8 links, the "clear screen" that hides the lines before it)
// and control characters. A message thrown without a request still carries whatever the
// attacker put in it (issue 18: "the console notifier prints raw terminal escape codes").

// CSI (ESC [ or its C1 form 0x9B, parameters, final byte), OSC (ESC ] … BEL or ESC \),
// and the other two-character ESC sequences. Each part is a run of one class then one
// character, so a failed match costs the run once: linear time on any input.
const ESCAPE_SEQUENCE = /(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]/g;
// Line breaks and tabs become a space (a value never starts a line of its own); every
// other C0/C1 control, DEL, and the bidirectional overrides that reorder what is shown go.
const LINE_BREAK = /[\t\n\v\f\r\u0085\u2028\u2029]/g;
const CONTROL = /[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `value` as text safe to print on one terminal line. */
export function printable(value: unknown): string {
  return String(value).replace(ESCAPE_SEQUENCE, '').replace(LINE_BREAK, ' ').replace(CONTROL, '');
}

/** Every string in a log line's fields made printable, arrays and plain objects included (bounded depth). */
export function printableFields(fields: Record<string, unknown>, depth = 3): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).map(([key, value]) => [printable(key), printableValue(value, depth)]));
}

function printableValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return printable(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth <= 0) return printable(Object.prototype.toString.call(value));
  if (Array.isArray(value)) return value.map((item) => printableValue(item, depth - 1));
  return printableFields(value as Record<string, unknown>, depth - 1);
}
