import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { InvalidDownloadTokenError } from '../../../ports/file-storage/file-storage-errors.js';
import { assertStorageKey } from '../../../ports/file-storage/storage-key.js';

/**
 * What a download link grants: one key until one moment, optionally saved under a given name.
 * Short field names keep links short enough for Telegram buttons and chat messages.
 */
export interface DownloadGrant {
  readonly key: string;
  /** Unix seconds. */
  readonly expiresAt: number;
  readonly downloadName?: string;
}

const payloadSchema = z.strictObject({
  v: z.literal(1),
  k: z.string().min(1).max(512),
  e: z.number().int().positive(),
  n: z.string().min(1).max(255).optional(),
});

const tokenShape = /^[A-Za-z0-9_-]{1,2048}\.[A-Za-z0-9_-]{43}$/;
// Separates these signatures from anything else the same secret might ever sign.
const signingContext = 'ugc-studio/file-link/v1.';

export const maxDownloadTokenLength = 2048 + 1 + 43;

export function signDownloadToken(grant: DownloadGrant, secret: Buffer): string {
  assertStorageKey(grant.key);
  const payload = payloadSchema.parse({
    v: 1,
    k: grant.key,
    e: grant.expiresAt,
    ...(grant.downloadName !== undefined ? { n: grant.downloadName } : {}),
  });
  const encoded = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${encoded}.${signature(encoded, secret).toString('base64url')}`;
}

/**
 * Checks a token's signature before looking at its contents (nothing unauthenticated is parsed),
 * then its expiry. Throws `InvalidDownloadTokenError` saying which check failed.
 */
export function verifyDownloadToken(token: string, secret: Buffer, nowSec: number): DownloadGrant {
  if (!tokenShape.test(token)) throw new InvalidDownloadTokenError('malformed');
  const [encoded = '', givenSignature = ''] = token.split('.');
  const expected = signature(encoded, secret);
  const given = Buffer.from(givenSignature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new InvalidDownloadTokenError('bad_signature');

  let payload: z.infer<typeof payloadSchema>;
  try {
    payload = payloadSchema.parse(JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')));
    assertStorageKey(payload.k);
  } catch (error) {
    // Only reachable if we once signed something we no longer accept, e.g. after a format change.
    throw new InvalidDownloadTokenError('malformed', { cause: error });
  }
  if (payload.e <= nowSec) throw new InvalidDownloadTokenError('expired');
  return {
    key: payload.k,
    expiresAt: payload.e,
    ...(payload.n !== undefined ? { downloadName: payload.n } : {}),
  };
}

function signature(encodedPayload: string, secret: Buffer): Buffer {
  return createHmac('sha256', secret).update(signingContext).update(encodedPayload).digest();
}
