import { constants } from 'node:fs';
import { access, chmod, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

export async function isExecutableFile(path: string): Promise<boolean> {
  try {
    const info = await stat(path);
    if (!info.isFile()) return false;
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first `name` in the PATH-style list that is an executable file, like `which`. */
export async function findOnPath(
  name: string,
  pathValue: string | undefined,
): Promise<string | undefined> {
  for (const dir of (pathValue ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (await isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/**
 * The npm installer packages set the executable bit in a postinstall script; npm may be
 * configured to skip install scripts, so restore the bit ourselves rather than lose the fallback.
 */
export async function ensureExecutable(path: string): Promise<boolean> {
  if (await isExecutableFile(path)) return true;
  try {
    const info = await stat(path);
    if (!info.isFile()) return false;
    await chmod(path, info.mode | 0o755);
  } catch {
    return false;
  }
  return isExecutableFile(path);
}
