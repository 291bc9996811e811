// Text bounds shared by every part of a report.

export const TRUNCATED = '…[truncated]';

/** Cuts a string to `max` characters with a visible marker, never splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return text.slice(0, end) + TRUNCATED;
}

/** A message for anything thrown, itself unable to throw. */
export function describeThrown(thrown: unknown): string {
  try {
    if (thrown instanceof Error) {
      const message: unknown = thrown.message;
      return typeof message === 'string' ? message : String(message);
    }
    return String(thrown);
  } catch {
    return 'unknown error';
  }
}

export function unreadable(thrown: unknown): string {
  return `[Unreadable: ${truncate(describeThrown(thrown), 200)}]`;
}
