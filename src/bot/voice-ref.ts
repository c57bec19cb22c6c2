import { createHash } from 'node:crypto';

/**
 * What a voice button carries to name its voice: the id itself, which stays right however the
 * gallery is ordered (a button from before the script changed picks the voice it showed). Catalog
 * ids fit (1–48 of A-Z a-z 0-9 _ -); a cloud id that does not is carried as `~` and a digest of
 * it, found again among the offered voices.
 */
export const voiceRefPattern = /^(?:[A-Za-z0-9_-]{1,48}|~[A-Za-z0-9_-]{22})$/;

const plainId = /^[A-Za-z0-9_-]{1,48}$/;

export function voiceRef(voiceId: string): string {
  if (plainId.test(voiceId)) return voiceId;
  return `~${createHash('sha256').update(voiceId, 'utf8').digest('base64url').slice(0, 22)}`;
}

/**
 * The id a reference carries, or undefined when it is a digest to be matched against the voices.
 */
export const voiceIdOfRef = (ref: string): string | undefined =>
  ref.startsWith('~') ? undefined : ref;
