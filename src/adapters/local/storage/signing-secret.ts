import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A dot-file, so no storage key can ever name it (keys may not start a segment with "."). */
export const signingSecretFileName = '.link-signing-secret';

const minSecretBytes = 16;

/** Validates a configured secret (`LINK_SIGNING_SECRET`) and turns it into key bytes. */
export function secretFromConfig(secret: string | Buffer): Buffer {
  const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
  if (bytes.length < minSecretBytes)
    throw new RangeError(`the link signing secret must be at least ${minSecretBytes} bytes long`);
  return bytes;
}

/**
 * The secret that signs download links when none is configured: generated once and kept in the
 * storage root, so links handed out before a restart still open after it. Two processes starting
 * together agree on one secret: it is published with `link`, which fails if the file exists.
 */
export async function loadOrCreateSigningSecret(rootDir: string): Promise<Buffer> {
  const path = join(rootDir, signingSecretFileName);
  const existing = await readSecret(path);
  if (existing) return existing;

  await mkdir(rootDir, { recursive: true });
  const candidate = join(
    rootDir,
    `${signingSecretFileName}.${process.pid}-${randomBytes(4).toString('hex')}`,
  );
  await writeFile(candidate, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
  try {
    await link(candidate, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await rm(candidate, { force: true });
  }
  const published = await readSecret(path);
  if (!published) throw new Error(`${path} is empty or unreadable`);
  return published;
}

async function readSecret(path: string): Promise<Buffer | undefined> {
  let text: string;
  try {
    text = (await readFile(path, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (!/^[0-9a-f]{32,}$/.test(text))
    throw new Error(
      `${path} does not hold a hex secret; delete it to generate a new one (old links stop working)`,
    );
  return Buffer.from(text, 'hex');
}
