/**
 * A `Content-Disposition` value per RFC 6266: a plain-ASCII `filename` for old clients and a
 * UTF-8 `filename*` (RFC 8187) for everyone else, so "Моё видео.mp4" is saved under its name.
 */
export function contentDisposition(
  type: 'inline' | 'attachment',
  fileName: string | undefined,
): string {
  if (fileName === undefined) return type;
  const name = safeFileName(fileName);
  if (name === '') return type;
  const fallback = asciiFallback(name);
  const header = `${type}; filename="${fallback}"`;
  return fallback === name ? header : `${header}; filename*=UTF-8''${encodeRfc8187(name)}`;
}

/** Drops what no file name should carry: folders, control characters, and outer dots/spaces. */
export function safeFileName(name: string): string {
  return (
    name
      .normalize('NFC')
      // eslint-disable-next-line no-control-regex -- removing control characters is the point
      .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, '')
      .replace(/[/\\]/g, '_')
      .replace(/^[\s.]+|[\s.]+$/g, '')
      .slice(0, 200)
  );
}

function asciiFallback(name: string): string {
  // Quoted-string: everything printable except the quote and the backslash.
  const ascii = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/["\\]/g, '_');
  return ascii.replace(/_+/g, '_');
}

/** RFC 8187 value-chars are `attr-char`s; `encodeURIComponent` leaves a few others ('()*) bare. */
function encodeRfc8187(value: string): string {
  return encodeURIComponent(value).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
