import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Lets `write` produce the file under a temporary name next to `path` and renames it into place,
 * so an interrupted build never leaves a truncated image or clip that a later run takes as done.
 * The temporary name keeps the extension: ffmpeg picks its muxer from it.
 */
export async function writeFileAtomically<T>(
  path: string,
  write: (temporaryPath: string) => Promise<T>,
): Promise<T> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = join(
    dirname(path),
    `.${randomBytes(6).toString('hex')}.partial.${basename(path)}`,
  );
  try {
    const result = await write(temporary);
    await rename(temporary, path);
    return result;
  } finally {
    await rm(temporary, { force: true });
  }
}
