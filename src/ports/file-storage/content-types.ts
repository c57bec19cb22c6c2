import { extname } from 'node:path';

const byExtension: Readonly<Record<string, string>> = {
  '.mp4': 'video/mp4',
  '.mov': 'video/quicktime',
  '.avi': 'video/x-msvideo',
  '.webm': 'video/webm',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.opus': 'audio/ogg',
  '.m4a': 'audio/mp4',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.ass': 'text/plain; charset=utf-8',
};

export const fallbackContentType = 'application/octet-stream';

/** For files whose type was never recorded (copied into the folder by hand). */
export function contentTypeForName(name: string): string {
  return byExtension[extname(name).toLowerCase()] ?? fallbackContentType;
}

// A header value we will send back verbatim: one `type/subtype` with optional parameters, no
// line breaks (which would let a stored value inject headers).
const contentTypeShape =
  /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+(?:\s*;\s*[a-z0-9!#$&^_.+-]+=(?:[a-z0-9!#$&^_.+-]+|"[^"\r\n]*"))*$/i;

export function isValidContentType(value: string): boolean {
  return value.length <= 200 && contentTypeShape.test(value);
}
