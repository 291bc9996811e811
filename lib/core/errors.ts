/** The message of anything thrown, for logs: never throws, whatever was thrown. */
export function messageOf(err: unknown): string {
  try {
    return err instanceof Error ? err.message : String(err);
  } catch {
    return '[unprintable error]';
  }
}

/** A numeric driver/server error code (MongoDB's), or null. */
export function codeOf(err: unknown): number | null {
  try {
    const code = (err as { code?: unknown } | null)?.code;
    return typeof code === 'number' ? code : null;
  } catch {
    return null;
  }
}
