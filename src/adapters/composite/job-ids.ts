/**
 * The background format in the cloud is two provider jobs (the overlay matte, then the montage),
 * but
 * the generation records one overlay request id. Both ids travel in it, `matte=<id>;montage=<id>`,
 * so a restart after either submission resumes the right job instead of paying for it again.
 */
export interface CompositeJobIds {
  readonly matte?: string;
  readonly montage?: string;
}

export function formatJobIds(ids: CompositeJobIds): string {
  return [
    ids.matte !== undefined ? `matte=${encodeURIComponent(ids.matte)}` : '',
    ids.montage !== undefined ? `montage=${encodeURIComponent(ids.montage)}` : '',
  ]
    .filter(Boolean)
    .join(';');
}

/** Unknown or malformed ids resume nothing: submitting again is safe, only possibly paid twice. */
export function parseJobIds(value: string | undefined): CompositeJobIds {
  if (!value) return {};
  const ids: { matte?: string; montage?: string } = {};
  for (const part of value.split(';')) {
    const [name, raw] = part.split('=', 2);
    if (raw === undefined || raw === '') continue;
    let id: string;
    try {
      id = decodeURIComponent(raw);
    } catch {
      continue;
    }
    if (name === 'matte') ids.matte = id;
    if (name === 'montage') ids.montage = id;
  }
  return ids;
}
