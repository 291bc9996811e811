// Outbox and dead-letter files hold unsent reports: only the app's own user may read them
// (issue 18, item 9). Modes are set explicitly after creating, because the `mode` given to
// mkdir/open is filtered by the process umask, and a folder made by an earlier version
// (0755) must be tightened too.
import fs from 'node:fs/promises';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates `dir` (and its parents) and makes `dir` itself 0700, whatever the umask. */
export async function makePrivateDir(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  await fs.chmod(dir, PRIVATE_DIR_MODE);
}

/** Opens a new file (exclusive create) readable and writable by its owner only, whatever the umask. */
export async function openPrivateFile(file: string, flags: 'wx' | 'a'): Promise<fs.FileHandle> {
  const handle = await fs.open(file, flags, PRIVATE_FILE_MODE);
  try {
    await handle.chmod(PRIVATE_FILE_MODE);
  } catch (err) {
    await handle.close().catch(() => undefined);
    throw err;
  }
  return handle;
}
