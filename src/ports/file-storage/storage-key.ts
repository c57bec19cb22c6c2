import { InvalidStorageKeyError } from './file-storage-errors.js';

// Deliberately narrow: the same keys must work as file paths here and as R2 object names, and
// nothing that a shell, a URL or a filesystem treats specially may slip through.
const keyCharacters = /^[A-Za-z0-9._/-]+$/;
const maxKeyLength = 512;

/**
 * Checks a storage key and returns its segments. Besides the character set: no absolute paths,
 * no empty, `.` or `..` segments, and no segment starting with a dot, because dot-files in the
 * root are the storage's own (temporary writes, metadata, the signing secret).
 */
export function storageKeySegments(key: string): string[] {
  if (key.length === 0) throw new InvalidStorageKeyError(key, 'empty');
  if (key.length > maxKeyLength)
    throw new InvalidStorageKeyError(key, `longer than ${maxKeyLength} characters`);
  if (!keyCharacters.test(key))
    throw new InvalidStorageKeyError(key, 'only A-Z, a-z, 0-9, ".", "_", "-" and "/" are allowed');
  if (key.startsWith('/')) throw new InvalidStorageKeyError(key, 'absolute paths are not keys');
  const segments = key.split('/');
  for (const segment of segments) {
    if (segment === '') throw new InvalidStorageKeyError(key, 'empty path segment');
    if (segment === '.' || segment === '..')
      throw new InvalidStorageKeyError(key, 'relative path segments are not allowed');
    if (segment.startsWith('.'))
      throw new InvalidStorageKeyError(key, 'segments may not start with "."');
  }
  return segments;
}

export function assertStorageKey(key: string): void {
  storageKeySegments(key);
}

/**
 * A `list` prefix is any beginning of a valid key: empty, a folder (`generations/`) or a partial
 * name (`generations/ab`). It gets the same checks minus the final segment being complete.
 */
export function assertStoragePrefix(prefix: string): void {
  if (prefix === '') return;
  const trimmed = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  if (trimmed === '') throw new InvalidStorageKeyError(prefix, 'absolute paths are not keys');
  // A partial last segment such as `a.` is fine as a prefix, so only the complete ones are checked
  // for dots; the character and traversal checks apply to the whole prefix.
  if (!keyCharacters.test(prefix))
    throw new InvalidStorageKeyError(
      prefix,
      'only A-Z, a-z, 0-9, ".", "_", "-" and "/" are allowed',
    );
  const segments = trimmed.split('/');
  segments.forEach((segment, index) => {
    const complete = index < segments.length - 1 || prefix.endsWith('/');
    if (segment === '' || segment === '..' || (complete && segment === '.')) {
      throw new InvalidStorageKeyError(prefix, 'relative or empty path segments are not allowed');
    }
    if (segment.startsWith('.'))
      throw new InvalidStorageKeyError(prefix, 'segments may not start with "."');
  });
}

/**
 * Keys under this prefix are scratch space: inputs on their way to a provider, intermediate
 * renders.
 */
export const temporaryPrefix = 'tmp/';
